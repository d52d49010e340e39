import type Database from 'better-sqlite3';
import { loopWaiting, yieldToLoop } from '../write-gate.ts';

/** Most records, and most bytes of JSON, written in one transaction of a chunked write. */
export const CHUNK_ITEMS = 250;
export const CHUNK_BYTES = 2 * 1024 * 1024;
/**
 * When other connections write too, a chunk also ends once it has held the lock this long. Why: the server's loop
 * waits for the lock on a timer (busy-retry.ts) with people's acknowledgements behind it; a 2 MB chunk of large
 * records held it for tens of milliseconds.
 */
export const SHARED_CHUNK_MS = 5;

/**
 * Waits after a write transaction as long as it took (at least 1 ms, at most 50): other connections waiting for the
 * write lock retry after a sleep (SQLite's busy handler, or the loop's timer), so a writer that began the next
 * transaction at once could take the lock again every time before a waiting one woke. Half the time free keeps their
 * wait near one chunk.
 */
export async function pauseAfter(chunkMs: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, Math.ceil(chunkMs)))));
}

/**
 * Runs `writeOne` on every item in short immediate transactions of at most CHUNK_ITEMS items or CHUNK_BYTES (what
 * writeOne returns it wrote, if it says) and, when yielding to other writers, SHARED_CHUNK_MS (at least one item
 * each), pausing between them (pauseAfter) so that other connections get the lock. On a server's thread, a chunk
 * also waits for, and ends early at, the loop's claim on the lock (write-gate.ts).
 * A throw rolls back its chunk only: the caller undoes earlier chunks.
 */
export async function writeChunks<T>(
  db: Database.Database,
  items: readonly T[],
  writeOne: (item: T) => number | void,
  /** False when no other connection writes the database (no server serves it): the chunks follow each other at once. */
  yieldToOtherWriters = true,
): Promise<void> {
  let next = 0;
  while (next < items.length) {
    if (yieldToOtherWriters) yieldToLoop();
    const started = performance.now();
    const first = next;
    db.transaction(() => {
      let bytes = 0;
      const end = Math.min(items.length, next + CHUNK_ITEMS);
      const until = yieldToOtherWriters ? started + SHARED_CHUNK_MS : Infinity;
      const more = (): boolean => next === first || (performance.now() < until && !loopWaiting());
      while (next < end && bytes < CHUNK_BYTES && more()) {
        const wrote = writeOne(items[next] as T);
        bytes += typeof wrote === 'number' ? wrote : 0;
        next += 1;
      }
    }).immediate();
    if (yieldToOtherWriters) await pauseAfter(performance.now() - started);
  }
}
