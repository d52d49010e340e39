import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_EVENT_NAMES } from '../../shared/protocol/events.ts';
import { describeFailures } from '../support/fuzz/fuzz-report.ts';
import { fuzzSocket } from '../support/fuzz/fuzz-socket.ts';
import { startFuzzTarget, type FuzzTarget } from '../support/fuzz/fuzz-target.ts';
import { fuzzSettings } from '../support/test-env.ts';

/**
 * Seeded random and mutated payloads for every socket request event, as every role, over real socket.io clients
 * (docs/security.md, Fuzzing). A failure prints its seed and case index: rerun with FUZZ_SEED=<seed>
 * FUZZ_FIRST_CASE=<index> FUZZ_CASES=1.
 */
let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
}, 30_000);
afterAll(async () => {
  await target?.close();
});

describe('fuzzing every socket event', () => {
  it('acks every case in time with a closed code, keeps the connection, stores nothing for a refusal, and stays healthy', async () => {
    const { seed, cases, first } = fuzzSettings(CLIENT_EVENT_NAMES.length * 35);
    const run = await fuzzSocket(target, { seed, cases, first });
    expect(describeFailures(run), `seed ${seed}`).toEqual([]);
    // The cases reach the services: accepted requests, bad payloads, and refusals by who is asking.
    expect(run.outcomes.ok ?? 0, JSON.stringify(run.outcomes)).toBeGreaterThan(cases / 20);
    expect(run.outcomes.invalid_payload ?? 0, JSON.stringify(run.outcomes)).toBeGreaterThan(cases / 4);
    expect(
      (run.outcomes.forbidden ?? 0) + (run.outcomes.unauthenticated ?? 0),
      JSON.stringify(run.outcomes),
    ).toBeGreaterThan(cases / 20);
    expect(run.outcomes.not_found ?? 0, JSON.stringify(run.outcomes)).toBeGreaterThan(0);
    expect(await target.problems()).toEqual([]);
  }, 120_000);
});
