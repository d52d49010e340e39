import type { BenchmarkMetadata, BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { LibraryPersona, Persona } from '../../shared/schemas/persona.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { ImportOutcome, RecordSummary, Study, StudySummary } from '../../shared/schemas/study.ts';
import type { ConsentStorage } from './consent-storage.ts';
import type { StudyAccessStorage } from './study-access-storage.ts';
import type { EpisodeSummary, RunInput } from './episode-storage.ts';
import type { JobStorage } from './job-storage.ts';
import type { ParticipantDeletionStorage } from './participant-deletion-storage.ts';
import type { LiveEpisodeStorage } from './live-storage.ts';
import type { NodeStorage } from './node-storage.ts';
import type { PeopleStorage } from './people-storage.ts';
import type { ResearchStorage } from './research-storage.ts';
import type { ServerLeaseStorage } from './server-lease-storage.ts';
import type { StudyWorkStorage } from './study-work-storage.ts';

/** One validated record of a benchmark file, with what the importer worked out about it. */
export interface ImportRecordInput {
  /** 1-based line in the source file, kept for provenance and error messages. */
  line: number;
  /** Source task (math, aime, …, or 'unknown'). */
  task: string;
  /** The record exactly as parsed from the file, unknown fields included. */
  record: BenchmarkRecord;
  /**
   * The whole numbers the line wrote as floats in its persona and preferences (profile-floats.ts), stored with the
   * record so its persona profile prints them `4.0`; records read back carry them
   * (shared/benchmark/record-floats.ts).
   */
  integralFloats?: ReadonlySet<string>;
}

export interface ImportBenchmarkInput {
  /** The study to import into; created if it does not exist (and removed again if the import fails). */
  studyName: string;
  /** File name shown to people; not used for identity. */
  sourceName: string;
  /** SHA-256 of the file's bytes: the identity of an import. */
  sha256: string;
  bytes: number;
  metadata: BenchmarkMetadata | null;
  records: ImportRecordInput[];
  /**
   * Whether other connections may be writing the database meanwhile (a server serves it; the default): the import then
   * leaves the write lock free between its short transactions so their writes get in. The CLI, importing into a
   * database no server holds, writes its transactions back to back (141 MB file: 4.5 s instead of 7.4 s, bench:import).
   */
  yieldToOtherWriters?: boolean;
}

/** A study with its counts, as stored: the caller's role (`StudySummary.myRole`) is added by services/access. */
export type StudyCounts = Omit<StudySummary, 'myRole'>;

export interface Page<T> {
  total: number;
  items: T[];
}

/**
 * Everything the app keeps, in domain terms. Implementations: SQLite now (server/storage/sqlite), PostgreSQL later;
 * both must pass the contract suite, tests/contract/*.contract.ts (one file per part, all run by
 * sqlite-storage.test.ts). Every method is atomic: it either completes or changes nothing.
 * Failures the caller can act on are thrown as `AppError` (shared/errors.ts) with a closed code.
 */
export interface Storage {
  /** Live episodes, stored event by event (live play). */
  readonly live: LiveEpisodeStorage;
  /** Researchers, participants, sessions, invitation links and app secrets (server/storage/people-storage.ts). */
  readonly people: PeopleStorage;
  /** Live-study settings, play and rating queues, and ratings (server/storage/study-work-storage.ts). */
  readonly work: StudyWorkStorage;
  /** Batch runs started for a study, and a study's records and episodes for results and exports (research-storage.ts). */
  readonly research: ResearchStorage;
  /** Which server process serves this database (server/storage/server-lease-storage.ts). */
  readonly serverLease: ServerLeaseStorage;
  /** The server processes serving this database and which one runs each live episode (server/storage/node-storage.ts). */
  readonly nodes: NodeStorage;
  /** Background work recorded before it starts, claimed and leased by workers (server/storage/job-storage.ts). */
  readonly jobs: JobStorage;
  /** Deleting a participant's data: withdrawal, researcher deletion, retention (participant-deletion-storage.ts). */
  readonly deletions: ParticipantDeletionStorage;
  /** Consent texts shown and each participant's decision on theirs (server/storage/consent-storage.ts). */
  readonly consent: ConsentStorage;
  /** Researchers' roles per study and each study's audit log (server/storage/study-access-storage.ts). */
  readonly access: StudyAccessStorage;

  /** Creates a study; `conflict` if the name is taken. */
  createStudy(input: { name: string; description?: string }): Promise<Study>;
  getStudy(id: string): Promise<Study | null>;
  findStudyByName(name: string): Promise<Study | null>;
  /** Every study with its counts; who may see which is decided by services/access. */
  listStudies(): Promise<StudyCounts[]>;

  /**
   * Stores a benchmark file's records, their personas and rubrics: all or nothing, in short steps that never hold the
   * write lock for long, the records hidden from every reader until the last step. Importing content that is already
   * there changes nothing; a record whose problem_id exists with different content is a `conflict` and the whole file
   * is rejected.
   */
  importBenchmark(input: ImportBenchmarkInput): Promise<ImportOutcome>;
  /** Deletes imports a killed process left unfinished, with everything they wrote (start-up); returns how many. */
  removeUnfinishedImports(): Promise<number>;
  listRecords(studyId: string, page: { offset: number; limit: number }): Promise<Page<RecordSummary>>;
  /** The stored record, frozen (deeply): readers share it, so none may change it. */
  getRecord(studyId: string, problemId: string): Promise<BenchmarkRecord | null>;

  /** Adds or updates the persona library (personas/ files), keyed by persona id; returns what changed. */
  syncPersonaLibrary(personas: LibraryPersona[]): Promise<{ added: number; updated: number; unchanged: number }>;
  listLibraryPersonas(): Promise<LibraryPersona[]>;
  /** The library version of a persona if there is one, else the newest version seen in an import. */
  getPersona(id: string): Promise<Persona | null>;

  /** Starts a batch run; its episodes refer to it. */
  createRun(input: RunInput): Promise<{ id: string }>;
  /**
   * Stores a finished (completed, failed or aborted) episode with its whole event log in one transaction. Used by batch
   * runs, which keep an episode in memory until it ends. Storing the same episode id twice is a `conflict`.
   */
  saveEpisode(summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void>;
  getEpisode(id: string): Promise<{ summary: EpisodeSummary; events: EpisodeEvent[] } | null>;
  /** Episodes in start order, a page at a time (`offset`, `limit` ≤ 100,000). */
  listEpisodes(filter: { runId?: string; limit?: number; offset?: number }): Promise<EpisodeSummary[]>;
  countEpisodes(filter: { runId?: string }): Promise<number>;
  /**
   * Marks the run's completed episodes whose ids are not among `recorded` (the ids in its results file) aborted, with
   * the reason. A batch episode is stored before its results line is written; a process stopped between the two left
   * an episode the results file does not have, and the resumed run plays it again. Returns how many were marked.
   */
  abortUnrecordedEpisodes(runId: string, recorded: readonly string[], reason: string): Promise<number>;

  close(): Promise<void>;
}
