import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { EpisodeSource, RunInfo, RunProgress, RunStatus } from '../../shared/schemas/research.ts';
import type { ParticipantOutcomeKind } from '../../shared/schemas/participant-outcome.ts';
import type { EpisodeSummary } from './episode-storage.ts';
import type { Participant, ProlificIds } from './people-storage.ts';

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

/** A participant of a study with what the participants export needs: their work, its times, and how it ended. */
export interface StudyParticipant extends Participant {
  /** Live episodes they played (twins not counted), by how they ended. */
  plays: {
    started: number;
    completed: number;
    /** Completed plays whose answer they rated themselves (the step that earns the completion code). */
    selfRated: number;
    /** Ended because they stopped replying (idle timeout). */
    timedOut: number;
    /** Ended by the model, judge or server failing, or left (aborted). */
    otherwiseEnded: number;
  };
  /** Ratings given, "can't judge" answers (not ratings, but counted toward the quota), attention checks met. */
  ratings: { done: number; cantJudge: number; attentionChecked: number; attentionPassed: number };
  /**
   * The times of the events of the live episodes they played, ascending; failures are left out (an idle timeout is
   * logged long after the person's last act).
   */
  eventTimes: string[];
  /** Each rating's submit time and the seconds the rater spent on it, in submit order. */
  ratingTimes: { at: string; secondsSpent: number }[];
  /** How their task ended, as stored when it ended; null while it has not (or ended before outcomes were stored). */
  outcome: { outcome: ParticipantOutcomeKind; completionCode: string | null; endedAt: string } | null;
}

/** Where the previous page of {@link ResearchStorage.studyParticipants} ended. */
export interface ParticipantCursor {
  createdAt: string;
  id: string;
}

export interface NewStudyRun {
  /** Chosen by the caller, which names the results file after it before the row exists. */
  id: string;
  studyId: string;
  /**
   * SHA-256 of the study's records as run (their JSONL), for provenance; null when the run's job works it out as it
   * reads the records (off the live loop) and stores it with `updateRun`.
   */
  benchmarkSha256: string | null;
  outPath: string;
  options: RunInfo['options'];
}

/** A study's run as stored: what the API shows, and where its results file is and which records it ran on. */
export type StoredStudyRun = RunInfo & { outPath: string | null; benchmarkSha256: string | null };

/**
 * What the researcher API reads and writes besides the rest of `Storage`: batch runs started for a study, with their
 * status and progress, and a study's records and episodes in pages. Part of `Storage` (`storage.research`).
 * Each method is atomic; exports page through `studyEpisodes` so no transaction or cursor is held across an await.
 */
export interface ResearchStorage {
  /** A run in status 'running'. Its episodes are stored with `saveEpisode` and refer to its id. */
  createStudyRun(input: NewStudyRun): Promise<RunInfo>;
  /**
   * Writes the run's latest progress and, when given, its new status and the SHA-256 of the records it runs on.
   * `not_found` for an unknown run.
   */
  updateRun(
    runId: string,
    fields: { status?: RunStatus; progress: RunProgress; benchmarkSha256?: string },
  ): Promise<void>;
  /** A run started for a study (CLI runs, which have no study, are not returned), with what only the server sees. */
  getRun(runId: string): Promise<StoredStudyRun | null>;
  /** The study's runs, newest first. */
  listRuns(studyId: string): Promise<RunInfo[]>;
  /**
   * Marks runs still 'running' as 'interrupted' (start-up, after a crash), except `keep` (runs whose job is queued or
   * running: they resume, and beside other nodes on one database they may be running right now); returns how many.
   */
  interruptRunningRuns(keep?: readonly string[]): Promise<number>;

  /** Every record of the study in import order. */
  listStudyRecords(studyId: string): Promise<StudyRecord[]>;
  /** The study's episodes (batch, live and twins) in start order, `limit` at a time after `after`. */
  studyEpisodes(studyId: string, page: { after: EpisodeCursor | null; limit: number }): Promise<StudyEpisode[]>;
  /** The study's participants (actors and raters) in joining order, `limit` at a time after `after`. */
  studyParticipants(
    studyId: string,
    page: { after: ParticipantCursor | null; limit: number },
  ): Promise<StudyParticipant[]>;
  /** The Prolific ids of these participants, by participant id; unknown ids are left out. */
  prolificIds(participantIds: readonly string[]): Promise<Map<string, ProlificIds>>;
  /** Events of these episodes whose type is listed, ordered by episode (as given) and seq. */
  episodeEvents(
    episodeIds: readonly string[],
    types: readonly EpisodeEvent['type'][],
  ): Promise<{ episodeId: string; event: EpisodeEvent }[]>;
}
