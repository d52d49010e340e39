import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floodWhileProbing } from '../support/fuzz/fuzz-flood.ts';
import { startFuzzTarget, type FuzzTarget } from '../support/fuzz/fuzz-target.ts';

/**
 * A small, always-run version of the fuzz bench's body flood (bench/fuzz.bench.ts measures /api/health's p99 at size):
 * deep JSON posts to the unauthenticated logout route while health is probed. Every deep body is refused by size or
 * depth, and health keeps answering. Counted, not timed: the flood lasts until health has answered enough probes and
 * enough deep posts have been refused, so a busy machine makes the test slower but not flaky; timings are the bench's
 * business, not asserted here.
 */

/** Health probes that must all answer 200 while the flood runs. */
const PROBES = 8;
/** Deep posts answered before the flood stops: at least two per stream, so both body kinds are read during probing. */
const DEEP_ANSWERS = 6;
let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
}, 30_000);
afterAll(async () => {
  await target?.close();
});

describe('deep JSON flood', () => {
  it('refuses every deep body as too large or too deep, and health answers 200 throughout', async () => {
    const run = await floodWhileProbing(target.url, {
      deepStreams: 3,
      slowBodies: 5,
      probes: PROBES,
      deepAnswers: DEEP_ANSWERS,
      maxMs: 45_000,
    });
    const answers = Object.keys(run.deepAnswers);
    expect(answers.length, JSON.stringify(run.deepAnswers)).toBeGreaterThan(0);
    for (const answer of answers) {
      expect(['400 invalid_payload', '413 payload_too_large', 'closed early']).toContain(answer);
    }
    const deepTotal = Object.values(run.deepAnswers).reduce((sum, n) => sum + n, 0);
    expect(deepTotal, JSON.stringify(run.deepAnswers)).toBeGreaterThanOrEqual(DEEP_ANSWERS);
    expect(run.deepAnswers['400 invalid_payload'] ?? 0, JSON.stringify(run.deepAnswers)).toBeGreaterThan(0);
    expect(run.probedDuringFlood).toBeGreaterThanOrEqual(PROBES);
    expect(run.healthFailures).toBe(0);
    expect(await target.problems()).toEqual([]);
  }, 60_000);
});
