import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { CpuShareData, CpuShareReply } from '../support/cpu-share-thread.ts';
import { loopWriteGate, personPlaying } from '../../server/storage/write-gate.ts';

/**
 * A background thread's CPU share (server/storage/background-cpu-share.ts), on a real thread measured by the kernel's
 * own count of its CPU time: between slices of work it sleeps in proportion to the CPU it used, so it gets at most its
 * share of a core, whatever the machine's load (the assertion is a ratio of two times of the same thread).
 */

const BOOT = new URL('../support/cpu-share-boot.mjs', import.meta.url);

function runThread(data: CpuShareData): Promise<CpuShareReply> {
  const worker = new Worker(BOOT, { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: CpuShareReply) => resolve(m));
    worker.once('error', reject);
  });
}

describe.skipIf(process.platform !== 'linux')('a background thread’s CPU share (Linux: per-thread CPU time)', () => {
  it('at half a core the thread sleeps at least as long as it computes; at a quarter, three times as long', async () => {
    const half = await runThread({ share: 0.5, workMs: 200 });
    expect(half.clock).toBe('thread-cpu');
    // What it owes is paid in sleeps of at least 2 ms, so up to 2 ms may still be owed at the end.
    expect(half.sleptMs).toBeGreaterThanOrEqual(half.cpuMs - 2);
    const quarter = await runThread({ share: 0.25, workMs: 200 });
    expect(quarter.sleptMs).toBeGreaterThanOrEqual(3 * quarter.cpuMs - 2);
  });

  it('while a person plays on the loop, the thread takes its lower share; after the episode ends, its usual one', async () => {
    const gate = loopWriteGate();
    const stopPlaying = personPlaying();
    try {
      const live = await runThread({ share: 0.5, workMs: 150, whileLive: { share: 0.2, gate } });
      expect(live.share).toBe(0.2);
      // A fifth of a core: four times as long asleep as computing (less up to 2 ms still owed at the end).
      expect(live.sleptMs).toBeGreaterThanOrEqual(4 * live.cpuMs - 2);
    } finally {
      stopPlaying();
    }
    const after = await runThread({ share: 0.5, workMs: 150, whileLive: { share: 0.2, gate } });
    expect(after.share).toBe(0.5);
    expect(after.sleptMs).toBeGreaterThanOrEqual(after.cpuMs - 2);
  });

  it('without a share the thread never sleeps', async () => {
    const free = await runThread({ share: 1, workMs: 50 });
    expect(free.clock).toBe('none');
    expect(free.share).toBe(1);
    expect(free.sleptMs).toBe(0);
  });
});
