import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { EpisodeSource, RunInfo, RunProgress, RunStatus } from '../../shared/schemas/research.ts';
import type { EpisodeSummary } from './episode-storage.ts';

/** A study's record with the source task worked out at import. */
export interface StudyRecord {
  problemId: string;
  task: string;
  record: BenchmarkRecord;
}

/** An episode of a study, with what results and exports need besides its summary. */
export interface StudyEpisode extends EpisodeSummary {
  source: EpisodeSource;
  /** The record's source task; 'unknown' if the record is no longer in the study. */
  task: string;
  participantId: string | null;
  /** The live episode this one is the simulated twin of. */
  twinOf: string | null;
}

/** Where the previous page of {@link ResearchStorage.studyEpisodes} ended. */
export interface EpisodeCursor {
  startedAt: string;
  id: string;
}

export interface NewStudyRun {
  /** Chosen by the caller, which names the results file after it before the row exists. */
  id: string;
  studyId: string;
  /** SHA-256 of the study's records as run (their JSONL), for provenance. */
  benchmarkSha256: string;
  outPath: string;
  options: RunInfo['options'];
}

/**
 * What the researcher API reads and writes besides the rest of `Storage`: batch runs started for a study, with their
 * status and progress, and a study's records and episodes in pages. Part of `Storage` (`storage.research`).
 * Each method is atomic; exports page through `studyEpisodes` so no transaction or cursor is held across an await.
 */
export interface ResearchStorage {
  /** A run in status 'running'. Its episodes are stored with `saveEpisode` and refer to its id. */
  createStudyRun(input: NewStudyRun): Promise<RunInfo>;
  /** Writes the run's latest progress and, when given, its new status. `not_found` for an unknown run. */
  updateRun(runId: string, fields: { status?: RunStatus; progress: RunProgress }): Promise<void>;
  /** A run started for a study (CLI runs, which have no study, are not returned). */
  getRun(runId: string): Promise<(RunInfo & { outPath: string | null }) | null>;
  /** The study's runs, newest first. */
  listRuns(studyId: string): Promise<RunInfo[]>;
  /** Marks runs still 'running' as 'interrupted' (start-up, after a crash); returns how many. */
  interruptRunningRuns(): Promise<number>;

  /** Every record of the study in import order. */
  listStudyRecords(studyId: string): Promise<StudyRecord[]>;
  /** The study's episodes (batch, live and twins) in start order, `limit` at a time after `after`. */
  studyEpisodes(studyId: string, page: { after: EpisodeCursor | null; limit: number }): Promise<StudyEpisode[]>;
  /** Events of these episodes whose type is listed, ordered by episode (as given) and seq. */
  episodeEvents(
    episodeIds: readonly string[],
    types: readonly EpisodeEvent['type'][],
  ): Promise<{ episodeId: string; event: EpisodeEvent }[]>;
}
