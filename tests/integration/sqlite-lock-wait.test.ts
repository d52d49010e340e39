import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LockWait } from '../../server/storage/sqlite/busy-retry.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { messageEvent } from '../support/episode-events.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { holdWriteLock } from '../support/sqlite-write-lock.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
let n = 0;

/** Runs `work` while a 5 ms interval measures the longest gap between its ticks: how long the event loop was held. */
async function longestLoopGap<T>(work: () => Promise<T>): Promise<{ value: T; gapMs: number }> {
  let last = performance.now();
  let gapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 5);
  try {
    const value = await work();
    gapMs = Math.max(gapMs, performance.now() - last);
    return { value, gapMs };
  } finally {
    clearInterval(timer);
  }
}

function open(lockWait: LockWait): { storage: SqliteStorage; file: string } {
  const file = join(dir, `db-${++n}.sqlite`);
  return { storage: SqliteStorage.open({ file, lockWait }), file };
}

// Long enough that a loop held for the lock (gap near HOLD_MS) and a loop merely slowed by a loaded machine (ticks late
// by scheduling, seen up to ~150 ms at load 15 on two cores) stay far apart on either side of HOLD_MS / 4.
const HOLD_MS = 1200;

describe('a connection waiting for another process’s write lock', () => {
  it("'yield' keeps the event loop serving while it waits, then stores the write once", async () => {
    const { storage, file } = open('yield');
    const holder = await holdWriteLock(file, HOLD_MS);
    const { value: study, gapMs } = await longestLoopGap(() => storage.createStudy({ name: 'waited' }));
    await holder.released;
    expect(gapMs).toBeLessThan(HOLD_MS / 4);
    expect((await storage.listStudies()).map((s) => s.id)).toEqual([study.id]);
    await storage.close();
  });

  it("'block' holds the event loop for as long as the lock is held (what 'yield' avoids)", async () => {
    const { storage, file } = open('block');
    const holder = await holdWriteLock(file, HOLD_MS);
    const { gapMs } = await longestLoopGap(() => storage.createStudy({ name: 'blocked' }));
    await holder.released;
    expect(gapMs).toBeGreaterThan(HOLD_MS / 2);
    expect(await storage.listStudies()).toHaveLength(1);
    await storage.close();
  });

  it('group-committed events wait for the lock together and are stored once each, without a gap', async () => {
    const { storage, file } = open('yield');
    await storage.saveEpisode(runningEpisodeSummary('ep-lock'), []);
    const holder = await holdWriteLock(file, HOLD_MS);
    const events = Array.from({ length: 20 }, (_, seq) => messageEvent(seq, { content: `m${seq}` }));
    const { value: outcomes, gapMs } = await longestLoopGap(() =>
      Promise.all(events.map((event) => storage.live.append('ep-lock', event))),
    );
    await holder.released;
    expect(gapMs).toBeLessThan(HOLD_MS / 4);
    expect(outcomes.map((o) => o.seq)).toEqual(events.map((e) => e.seq));
    const stored = await storage.getEpisode('ep-lock');
    expect(stored?.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    await storage.close();
  });

  it("a reply's group commit in a waiting ('block') connection waits for the lock instead of failing at once", async () => {
    // A reply's append reads its client message id first; in a deferred transaction that read made the insert meet
    // the lock without SQLite's busy handler, and the reply failed at once (answered `internal` to the person).
    const { storage, file } = open('block');
    await storage.saveEpisode(runningEpisodeSummary('ep-replies'), []);
    const holder = await holdWriteLock(file, HOLD_MS);
    const replies = Array.from({ length: 5 }, (_, seq) => messageEvent(seq, { clientMessageId: `c${seq}` }));
    const outcomes = await Promise.all(replies.map((event) => storage.live.append('ep-replies', event)));
    await holder.released;
    expect(outcomes).toEqual(replies.map((e) => ({ seq: e.seq, duplicate: false })));
    await storage.close();
  });
});
