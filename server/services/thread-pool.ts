import { Piscina } from 'piscina';
import { AppError } from '../../shared/errors.ts';
import { loopWriteGate } from '../storage/write-gate.ts';
import type { Logger } from './logger.ts';

/**
 * A lazy piscina pool for work that must stay off the live loop (agreement reports, benchmark imports). The pool is
 * made on the first task, not at start-up, and its thread ends after `idleTimeoutMs` without work, so a server that
 * never asks pays nothing (a thread costs a copy of the server's code in memory and seconds of CPU to start). Tasks
 * beyond `threads` wait in the pool's queue.
 */
export interface LazyPool<Task, Outcome> {
  run(task: Task): Promise<Outcome>;
  /** Stops the pool's threads: a task being run is abandoned and its caller gets an error. */
  close(): Promise<void>;
}

export interface LazyPoolOptions {
  /** The thread's entry: plain JS that registers tsx in the thread, then loads the thread's TypeScript. */
  entry: URL;
  /** Tasks run at once (default 1: a second core stays with the live loop). */
  threads?: number;
  /** How long an idle thread is kept for the next task before it ends (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Where a thread's failure outside any task goes (a thread that cannot load, a stray message). */
  log: Logger;
}

/** What a pool's thread gets as `workerData`; its entry passes `writeGate` to joinLoopWriteGate. */
export interface PoolThreadData {
  writeGate: SharedArrayBuffer;
}

export function lazyPool<Task, Outcome>(options: LazyPoolOptions): LazyPool<Task, Outcome> {
  let pool: Piscina<Task, Outcome> | null = null;
  let closed = false;
  return {
    async run(task) {
      if (closed) throw new AppError('unavailable', 'the server is shutting down');
      pool ??= new Piscina<Task, Outcome>({
        filename: options.entry.href,
        name: 'default',
        minThreads: 0,
        maxThreads: options.threads ?? 1,
        idleTimeout: options.idleTimeoutMs ?? 5 * 60_000,
        // Tasks are async: the thread's event loop must run between them (piscina's Atomics wait would block it).
        atomics: 'disabled',
        // The thread's writes leave SQLite's write lock to the loop while it waits for it (storage/write-gate.ts).
        workerData: { writeGate: loopWriteGate() } satisfies PoolThreadData,
      });
      // Piscina emits a thread's failure that no task is waiting on as an 'error' event; unheard, it would end the
      // server. The thread is replaced at the next task, whose caller gets the error if it happens again.
      if (pool.listenerCount('error') === 0)
        pool.on('error', (error: unknown) =>
          options.log.error({ err: error }, 'a worker thread failed outside a task'),
        );
      return pool.run(task);
    },
    async close() {
      closed = true;
      const running = pool;
      pool = null;
      await running?.destroy();
    },
  };
}
