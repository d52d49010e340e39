import { describe, expect, it } from 'vitest';
import { ResearchGate } from '../../server/models/threaded/research-gate.ts';

const BOUNDS = { min: 2, max: 8, busy: 0.9, spare: 0.6 };

/** `n` steps through the gate, each running until `release` is called. */
function steps(gate: ResearchGate, n: number): { release: () => void; done: Promise<number[]> } {
  let release = (): void => undefined;
  const open = new Promise<void>((resolve) => (release = resolve));
  const done = Promise.all(Array.from({ length: n }, (_, i) => gate.run(() => open.then(() => i))));
  return { release, done };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ResearchGate', () => {
  it('starts at its minimum: the rest wait', async () => {
    const gate = new ResearchGate(BOUNDS);
    const s = steps(gate, 5);
    await settle();
    expect([gate.limit, gate.running, gate.waiting]).toEqual([2, 2, 3]);
    s.release();
    expect(await s.done).toEqual([0, 1, 2, 3, 4]);
  });

  it('doubles while the thread has time to spare and steps wait, up to its maximum', async () => {
    const gate = new ResearchGate(BOUNDS);
    const s = steps(gate, 20);
    await settle();
    gate.adjust(0.3);
    await settle();
    expect([gate.limit, gate.running]).toEqual([4, 4]);
    gate.adjust(0.3);
    gate.adjust(0.3);
    await settle();
    expect([gate.limit, gate.running, gate.waiting]).toEqual([8, 8, 12]);
    s.release();
    await s.done;
  });

  it('halves while the thread is busy, down to its minimum; in between, and with nothing waiting, it stays', async () => {
    const gate = new ResearchGate(BOUNDS);
    gate.adjust(0.1);
    // Nothing waits: no reason to let more through.
    expect(gate.limit).toBe(2);
    const s = steps(gate, 10);
    await settle();
    gate.adjust(0.1);
    gate.adjust(0.1);
    expect(gate.limit).toBe(8);
    gate.adjust(0.75);
    expect(gate.limit).toBe(8);
    gate.adjust(0.95);
    expect(gate.limit).toBe(4);
    gate.adjust(0.99);
    gate.adjust(0.99);
    expect(gate.limit).toBe(2);
    s.release();
    expect(await s.done).toHaveLength(10);
  });
});
