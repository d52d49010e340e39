/**
 * What a batch run shared through the job queue keeps in the database (migration 020): the run's plan size, chunking
 * and cancel flag, and one line per ended (record, mode, user type) of its plan. Every method is one statement, so
 * processes on several machines may call them at once. PostgreSQL only (postgres/postgres-queued-runs.ts): on SQLite a
 * batch run is one job on the server's own research worker.
 */
export interface QueuedRun {
  runId: string;
  /** The live study's selection as it was when the run started; null: every record of the study. */
  problemIds: string[] | null;
  /** How many (record, mode, user type) the run's plan has. */
  jobs: number;
  /** Plan entries per queue job (the last chunk may be shorter). */
  chunkSize: number;
  /** How many times a chunk may fail before its entries without a line are recorded as failed. */
  chunkTries: number;
  /** The pause before a failed chunk is tried again, doubling with each further try. */
  chunkRetrySeconds: number;
  cancelRequested: boolean;
}

export interface QueuedRunLine {
  /** The entry's position in the run's plan (the reference's order). */
  jobIndex: number;
  outcome: 'done' | 'failed';
  /** The results line ('done') or failures line ('failed') as JSON, exactly as the file gets it. */
  lineJson: string;
  episodeId: string | null;
  /** Which worker process stored it. */
  worker: string;
}

export interface QueuedRunCounts {
  done: number;
  failed: number;
}

/** Model usage: one claim's running totals, or a run's sum over its claims. */
export interface QueuedRunUsage {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; null while no call had a price. */
  costUsd: number | null;
}

/** A chunk's failures so far: tries used, and the last error with the worker it happened on. */
export interface ChunkFailure {
  chunk: number;
  tries: number;
  lastError: string;
  lastWorker: string;
}

export interface QueuedRunStorage {
  /** Records the run once; a second call (a resumed coordinator) keeps and returns what the first stored. */
  registerRun(run: Omit<QueuedRun, 'cancelRequested'>): Promise<QueuedRun>;
  getRun(runId: string): Promise<QueuedRun | null>;
  /** Sets the run's cancel flag; the workers playing its chunks poll it. */
  requestCancel(runId: string): Promise<void>;
  /** Stores an ended entry's line; false when the entry already had one (the chunk was played twice). */
  storeLine(runId: string, line: QueuedRunLine): Promise<boolean>;
  /** The plan positions in [from, to) that already have a line. */
  storedIndexes(runId: string, from: number, to: number): Promise<number[]>;
  counts(runId: string): Promise<QueuedRunCounts>;
  /** Every line of the run in plan order. */
  lines(runId: string): Promise<QueuedRunLine[]>;
  /** Counts one more failed try of a chunk (atomically: two workers failing it at once count two) and returns it. */
  recordChunkFailure(runId: string, chunk: number, worker: string, error: string): Promise<ChunkFailure>;
  /** The run's chunks that failed at least once, by chunk number. */
  chunkFailures(runId: string): Promise<ChunkFailure[]>;
  /**
   * Stores a claim's running usage totals (they only grow: a late write of older totals never lowers them), so a
   * run's usage across workers is the sum of its claims'.
   */
  storeUsage(runId: string, claimId: string, worker: string, usage: QueuedRunUsage): Promise<void>;
  /** The run's usage summed over every claim of its chunks, whichever worker played them. */
  usage(runId: string): Promise<QueuedRunUsage>;
  close(): Promise<void>;
}
