/** IPC between bench:live-busy and its researcher process (bench/support/live-busy-worker.ts). */

export interface BackgroundWork {
  /** A study holding `batchRecords` records: the batch run draws from it (3 conditions each). */
  batchStudyId: string;
  batchRecords: number;
  /** The batch run's seed: a run with a seed of its own is a new run, not a resumption of an earlier phase's. */
  batchSeed: number;
  /** The benchmark file to import, into a new study of this name. */
  importFile: string;
  importStudy: string;
  /** The study whose agreement report is requested, and its bootstrap resamples. */
  liveStudyId: string;
  agreementResamples: number;
}

export type BusyRequest =
  | {
      type: 'start';
      url: string;
      /** The researcher's session cookie. */
      cookie: string;
      /** null: only poll `/api/health` (the quiet phase). */
      background: BackgroundWork | null;
    }
  | { type: 'stop' };

export interface BusyReport {
  /** Round trips of `GET /api/health`, ms, about every 100 ms while the phase ran. */
  healthMs: number[];
  healthFailures: number;
  /** Polls of the batch run's progress that failed (counted, retried). */
  runPollFailures: number;
  /** How long each piece of background work took, s (null when not started). */
  batchSeconds: number | null;
  batchEpisodesDone: number;
  batchEpisodesFailed: number;
  importSeconds: number | null;
  importRecordsAdded: number;
  agreementSeconds: number | null;
  errors: string[];
}

export type BusyResponse =
  { type: 'started' } | { type: 'report'; report: BusyReport } | { type: 'failed'; error: string };
