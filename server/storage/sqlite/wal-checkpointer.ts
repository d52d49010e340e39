import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a WAL-mode SQLite file from a worker thread. Why: with SQLite's automatic checkpoints, the commit that
 * crosses the WAL's size limit copies the WAL into the database and fsyncs it on the thread that committed, i.e. the
 * server's event loop; under live load those commits stalled every socket for up to ~190 ms. The main connection
 * turns automatic checkpoints off and this thread runs PASSIVE checkpoints (which wait for no reader or writer)
 * every `everyMs`. Durability is unchanged: commits are what they were, only the copying moved. If the worker stops
 * unexpectedly, automatic checkpoints are turned back on so the WAL cannot grow without bound.
 */

// Plain CommonJS, evaluated in the worker: the worker does not get the TypeScript loader the main thread runs under.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (the main connection is checkpointing as it closes): the next round tries again.
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export function startWalCheckpointer(file: string, onWorkerLost: () => void, everyMs = 500): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs } });
  // The server's lifetime is decided elsewhere: this thread must not keep the process alive.
  worker.unref();
  let stopping = false;
  const lost = (): void => {
    if (!stopping) onWorkerLost();
  };
  worker.on('error', lost);
  worker.on('exit', lost);
  return {
    stop: async () => {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      // A worker stuck in a checkpoint is not worth waiting for at shutdown: the main connection checkpoints on close.
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
