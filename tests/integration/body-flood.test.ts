import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floodWhileProbing } from '../support/fuzz/fuzz-flood.ts';
import { startFuzzTarget, type FuzzTarget } from '../support/fuzz/fuzz-target.ts';

/**
 * A small, always-run version of the fuzz bench's body flood (bench/fuzz.bench.ts measures /api/health's p99 at size):
 * deep JSON posts to the unauthenticated logout route while health is probed. Every deep body is refused by size or
 * depth, and health keeps answering; timings are the bench's business, not asserted here.
 */
let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
}, 30_000);
afterAll(async () => {
  await target?.close();
});

describe('deep JSON flood', () => {
  it('refuses every deep body as too large or too deep, and health answers 200 throughout', async () => {
    const run = await floodWhileProbing(target.url, { deepStreams: 3, slowBodies: 5, durationMs: 1500 });
    const answers = Object.keys(run.deepAnswers);
    expect(answers.length, JSON.stringify(run.deepAnswers)).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(['400 invalid_payload', '413 payload_too_large', 'closed early']).toContain(answer);
    }
    expect(run.deepAnswers['400 invalid_payload'] ?? 0, JSON.stringify(run.deepAnswers)).toBeGreaterThan(0);
    expect(run.healthMs.length).toBeGreaterThan(3);
    expect(run.healthFailures).toBe(0);
    expect(await target.problems()).toEqual([]);
  }, 30_000);
});
