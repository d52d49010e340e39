import type { DatabaseLocation } from '../../config.ts';

/** Messages between the server's event loop and its research worker thread (research-worker.ts). */

/** What the worker thread is started with. */
export interface ResearchWorkerData {
  /** The server's database; the thread opens its own connection to it. */
  database: DatabaseLocation;
  /** The models file (the same the server read); undefined: only the offline scripted model. */
  modelsFile: string | undefined;
  /** The server's prompt packs folder (a simulated twin runs with the pack its live episode pinned). */
  promptsDir?: string;
  /** Jobs run at once on the thread. */
  concurrency: number;
  leaseMs: number;
  /** The loop's claim on SQLite's write lock, which the thread's writes yield to (storage/write-gate.ts). */
  writeGate?: SharedArrayBuffer;
}

export type ToWorker =
  | { type: 'wake' }
  | { type: 'cancel'; jobId: string }
  /** The host found the job no longer the thread's when renewing its lease (job-lease-keeper.ts). */
  | { type: 'leaseLost'; jobId: string }
  | { type: 'stop' };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type FromWorker =
  /** The thread opened its storage and claims jobs; `owner` is its runner's name in the jobs table. */
  | { type: 'ready'; owner: string }
  /** A log line, written by the server's logger (one log, one format). */
  | { type: 'log'; level: LogLevel; fields: Record<string, unknown>; msg: string }
  /** A job started (`running`) or ended on the thread; the host renews its lease meanwhile (job-lease-keeper.ts). */
  | { type: 'job'; jobId: string; running: boolean }
  /** Running jobs were stopped and released; the thread is about to end. */
  | { type: 'stopped' };
