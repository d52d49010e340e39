import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../server/models/concurrency-limit.ts';

/** A call that runs until the test lets it finish, recording when it started and how many ran at once. */
function gate() {
  const started: number[] = [];
  const open = new Map<number, () => void>();
  let running = 0;
  let maxRunning = 0;
  const call = (id: number) => async (): Promise<number> => {
    started.push(id);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise<void>((resolve) => open.set(id, resolve));
    running--;
    return id;
  };
  return {
    call,
    started,
    finish: (id: number): void => {
      const release = open.get(id);
      if (!release) throw new Error(`call ${id} has not started`);
      release();
    },
    get maxRunning() {
      return maxRunning;
    },
  };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('never runs more than max at once and starts calls in submission order', async () => {
    const limit = new ConcurrencyLimit(3);
    const g = gate();
    const results = Array.from({ length: 10 }, (_, id) => limit.run(g.call(id)));
    await tick();
    expect(g.started).toEqual([0, 1, 2]);
    expect(limit.active).toBe(3);
    expect(limit.waiting).toBe(7);
    // Finish them out of order: whatever finishes, the next to start is the oldest waiting.
    for (const id of [2, 0, 1, 4, 3, 5, 7, 6, 8, 9]) {
      g.finish(id);
      await tick();
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(g.started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(g.maxRunning).toBe(3);
    await tick();
    expect(limit.active).toBe(0);
    expect(limit.waiting).toBe(0);
  });

  it('a queued call whose signal fires rejects at once with the reason and never starts; the queue moves on', async () => {
    const limit = new ConcurrencyLimit(1);
    const g = gate();
    const first = limit.run(g.call(1));
    const controller = new AbortController();
    const cancelled = limit.run(g.call(2), controller.signal);
    const third = limit.run(g.call(3), new AbortController().signal);
    await tick();
    expect(limit.waiting).toBe(2);
    const reason = new Error('episode over');
    controller.abort(reason);
    // Rejected while call 1 still holds the only slot.
    await expect(cancelled).rejects.toBe(reason);
    expect(limit.waiting).toBe(1);
    g.finish(1);
    await tick();
    expect(g.started).toEqual([1, 3]);
    g.finish(3);
    expect(await first).toBe(1);
    expect(await third).toBe(3);
    await tick();
    expect(limit.active).toBe(0);
  });

  it('a call whose signal has already fired rejects with its reason and never starts', async () => {
    const limit = new ConcurrencyLimit(2);
    const g = gate();
    await expect(limit.run(g.call(1), AbortSignal.abort('gone'))).rejects.toBe('gone');
    expect(g.started).toEqual([]);
  });

  it('a call that started keeps running when its signal fires later', async () => {
    const limit = new ConcurrencyLimit(1);
    const g = gate();
    const controller = new AbortController();
    const running = limit.run(g.call(1), controller.signal);
    await tick();
    controller.abort();
    g.finish(1);
    expect(await running).toBe(1);
  });

  it('map keeps item order, stays within the limit, and starts nothing once the signal fires', async () => {
    const limit = new ConcurrencyLimit(2);
    const g = gate();
    const controller = new AbortController();
    const mapped = limit.map([10, 11, 12, 13, 14], controller.signal, (id) => g.call(id)());
    await tick();
    expect(g.started).toEqual([10, 11]);
    g.finish(11);
    await tick();
    expect(g.started).toEqual([10, 11, 12]);
    controller.abort();
    g.finish(10);
    g.finish(12);
    expect(await mapped).toEqual([10, 11, 12, undefined, undefined]);
    expect(g.maxRunning).toBe(2);
  });

  it('map starts nothing new after an item throws, and rejects with that error', async () => {
    const limit = new ConcurrencyLimit(1);
    const started: number[] = [];
    const boom = new Error('boom');
    const mapped = limit.map([0, 1, 2], new AbortController().signal, async (i) => {
      started.push(i);
      if (i === 1) throw boom;
      return i;
    });
    await expect(mapped).rejects.toBe(boom);
    await tick();
    expect(started).toEqual([0, 1]);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
    expect(() => new ConcurrencyLimit(1.5)).toThrow(RangeError);
  });
});
