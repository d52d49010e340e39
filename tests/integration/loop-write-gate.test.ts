import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { BACKGROUND_WAIT_MS, claimForLoop, loopClaims, loopWriteGate } from '../../server/storage/write-gate.ts';
import type { GateWriterData, GateWriterMessage, GateWriterReply } from '../support/gate-writer-thread.ts';
import { holdWriteLock } from '../support/sqlite-write-lock.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * The loop's claim on SQLite's write lock (server/storage/write-gate.ts), with a real background thread on its own
 * connection to a real database file: its writes wait while the loop waits for the lock, and only that long.
 */

const dir = tempDir();
let n = 0;
const BOOT = new URL('../support/gate-writer-boot.mjs', import.meta.url);
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const step of cleanups.splice(0).reverse()) await step();
});

async function freshFile(): Promise<string> {
  const file = join(dir, `gate-${++n}.sqlite`);
  // Created and migrated before any thread opens it, so their opens do not race each other's migrations.
  await SqliteStorage.open({ file }).close();
  return file;
}

/** A background thread writing studies to `file`; `joined`: given the loop's gate, as the server's threads are. */
async function backgroundWriter(file: string, joined: boolean) {
  const data: GateWriterData = { file, ...(joined ? { gate: loopWriteGate() } : {}) };
  const worker = new Worker(BOOT, { workerData: data });
  const written = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  worker.on('message', (m: GateWriterReply) => {
    if (m.type !== 'written') return;
    written.set(m.name, performance.now());
    waiters.get(m.name)?.();
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  cleanups.push(async () => {
    worker.postMessage({ type: 'stop' } satisfies GateWriterMessage);
    await new Promise((resolve) => worker.once('exit', resolve));
  });
  return {
    /** Asks for a study named `name`; resolves when the thread has stored it, with when that was. */
    write(name: string): Promise<number> {
      const done = new Promise<number>((resolve) => waiters.set(name, () => resolve(written.get(name) ?? 0)));
      worker.postMessage({ type: 'write', name } satisfies GateWriterMessage);
      return done;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function studyNames(file: string): Promise<string[]> {
  const reader = SqliteStorage.open({ file });
  try {
    return (await reader.listStudies()).map((s) => s.name).sort();
  } finally {
    await reader.close();
  }
}

describe('the loop’s claim on the write lock', () => {
  it('holds a joined thread’s write until the claim ends', async () => {
    const file = await freshFile();
    const writer = await backgroundWriter(file, true);
    const release = claimForLoop();
    const stored = writer.write('held');
    await sleep(BACKGROUND_WAIT_MS / 2);
    expect(await studyNames(file)).toEqual([]);
    const releasedAt = performance.now();
    release();
    expect(await stored).toBeGreaterThanOrEqual(releasedAt);
    expect(await studyNames(file)).toEqual(['held']);
  });

  it('holds it at most BACKGROUND_WAIT_MS, and a thread that did not join does not wait', async () => {
    const file = await freshFile();
    const joined = await backgroundWriter(file, true);
    const free = await backgroundWriter(file, false);
    const release = claimForLoop();
    try {
      const asked = performance.now();
      const [joinedAt, freeAt] = await Promise.all([joined.write('joined'), free.write('free')]);
      expect(joinedAt - asked).toBeGreaterThanOrEqual(BACKGROUND_WAIT_MS);
      expect(freeAt).toBeLessThan(joinedAt);
      expect(await studyNames(file)).toEqual(['free', 'joined']);
    } finally {
      release();
    }
  });

  it('is raised by a yielding call while it waits for the lock, and ends when its write is stored', async () => {
    const file = await freshFile();
    const loop = SqliteStorage.open({ file, lockWait: 'yield' });
    cleanups.push(() => loop.close());
    const writer = await backgroundWriter(file, true);
    const holder = await holdWriteLock(file, 150);
    expect(loopClaims()).toBe(0);
    const loopWrite = loop.createStudy({ name: 'loop' }).then(() => performance.now());
    await sleep(50);
    // The loop waits for the other process's lock: its claim is up, so the thread's write waits behind it (the lock
    // is released well within the thread's BACKGROUND_WAIT_MS).
    expect(loopClaims()).toBe(1);
    const threadWrite = writer.write('thread');
    await holder.released;
    const [loopAt, threadAt] = await Promise.all([loopWrite, threadWrite]);
    expect(loopClaims()).toBe(0);
    expect(threadAt).toBeGreaterThan(loopAt);
    expect(await studyNames(file)).toEqual(['loop', 'thread']);
  });
});
