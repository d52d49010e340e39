import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. Why: with SQLite's automatic checkpoints, the commit that
 * crosses the WAL's size limit copies the WAL into the database and fsyncs it on the thread that committed, i.e. the
 * server's event loop; under live load those commits stalled every socket for up to ~190 ms. The main connection
 * turns automatic checkpoints off and this thread runs PASSIVE checkpoints (which wait for no reader or writer)
 * every `everyMs`. Durability is unchanged: commits are what they were, only the copying moved. If the worker stops
 * unexpectedly, automatic checkpoints are turned back on so the WAL cannot grow without bound. PASSIVE checkpoints
 * never shrink the -wal file, so after a big write (an import) the storage asks for a TRUNCATE, and the worker
 * truncates by itself once the file passes TRUNCATE_ABOVE_BYTES.
 */

// Plain CommonJS, evaluated in the worker: the worker does not get the TypeScript loader the main thread runs under.
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
function walBytes() {
  try {
    return statSync(workerData.file + '-wal').size;
  } catch {
    return 0;
  }
}
function checkpoint(mode) {
  try {
    return db.pragma('wal_checkpoint(' + mode + ')')[0].busy === 0;
  } catch {
    // Busy (the main connection is checkpointing as it closes): the next round tries again.
    return false;
  }
}
const timer = setInterval(() => {
  // PASSIVE copies pages but never shrinks the file; once a burst has grown it past the limit, TRUNCATE resets it.
  checkpoint(walBytes() > workerData.truncateAboveBytes ? 'TRUNCATE' : 'PASSIVE');
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message.type === 'truncate') {
    parentPort.postMessage({ type: 'truncated', id: message.id, done: checkpoint('TRUNCATE') });
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export type TruncateResult = 'done' | 'busy' | 'unavailable';

export interface WalCheckpointer {
  /**
   * Runs a TRUNCATE checkpoint on the worker (copies the whole WAL into the database and empties the file) and
   * resolves once tried: `done`, `busy` (readers kept it from finishing; a later round will), or `unavailable` (the
   * worker is gone or stopping: the caller may checkpoint itself).
   */
  truncate(): Promise<TruncateResult>;
  stop(): Promise<void>;
}

/** A WAL past this size is truncated by the worker's next round (large batch-run bursts; imports ask directly). */
const TRUNCATE_ABOVE_BYTES = 64 * 1024 * 1024;

export function startWalCheckpointer(
  file: string,
  onWorkerLost: () => void,
  everyMs = 500,
  truncateAboveBytes = TRUNCATE_ABOVE_BYTES,
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, everyMs, truncateAboveBytes },
  });
  // The server's lifetime is decided elsewhere: this thread must not keep the process alive.
  worker.unref();
  let stopping = false;
  let alive = true;
  let nextId = 0;
  const waiting = new Map<number, (result: TruncateResult) => void>();
  worker.on('message', (message: { type?: string; id?: number; done?: boolean }) => {
    if (message.type !== 'truncated' || message.id === undefined) return;
    waiting.get(message.id)?.(message.done === true ? 'done' : 'busy');
    waiting.delete(message.id);
  });
  const lost = (): void => {
    alive = false;
    for (const resolve of waiting.values()) resolve('unavailable');
    waiting.clear();
    if (!stopping) onWorkerLost();
  };
  worker.on('error', lost);
  worker.on('exit', lost);
  return {
    truncate: () => {
      if (!alive || stopping) return Promise.resolve('unavailable');
      const id = ++nextId;
      return new Promise<TruncateResult>((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ type: 'truncate', id });
      });
    },
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'stop' });
      // A worker stuck in a checkpoint is not worth waiting for at shutdown: the main connection checkpoints on close.
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
