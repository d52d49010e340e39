import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoutes, fuzzHttp, uncoveredRoutes } from '../support/fuzz/fuzz-http.ts';
import { describeFailures } from '../support/fuzz/fuzz-report.ts';
import { startFuzzTarget, type FuzzTarget } from '../support/fuzz/fuzz-target.ts';
import { fuzzSettings } from '../support/test-env.ts';

/**
 * Seeded random and mutated requests to every HTTP route, as every role (docs/security.md, Fuzzing). A failure prints
 * its seed and case index: rerun with FUZZ_SEED=<seed> FUZZ_FIRST_CASE=<index> FUZZ_CASES=1.
 */
let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
}, 30_000);
afterAll(async () => {
  await target?.close();
});

describe('fuzzing every HTTP route', () => {
  it('has a fuzz spec for every route the app serves, and none for routes it no longer serves', () => {
    expect(appRoutes(target).length).toBeGreaterThan(30);
    expect(uncoveredRoutes(target)).toEqual({ unfuzzed: [], stale: [] });
  });

  it('sees every commit of the app in its database watch (so "nothing stored" can fail)', async () => {
    const before = target.db.snapshot();
    const res = await fetch(`${target.url}/api/studies/${target.ids.studyId}/invites`, {
      method: 'POST',
      headers: { cookie: target.cookie('researcher') ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'rater' }),
    });
    expect(res.status).toBe(201);
    expect(target.db.version()).not.toBe(before.version);
    expect(target.db.changedTables(before)).toEqual([expect.stringMatching(/^study_invites \d+→\d+$/)]);
  });

  it('answers every case in time with a defined answer, stores nothing for a refusal, and stays healthy', async () => {
    const routes = appRoutes(target).length;
    const { seed, cases, first } = fuzzSettings(routes * 8);
    const run = await fuzzHttp(target, { seed, cases, first });
    expect(describeFailures(run), `seed ${seed}`).toEqual([]);
    // The cases reach past the guards: some are accepted, most are refused as bad input, some as the wrong person.
    const count = (status: string) => run.outcomes[status] ?? 0;
    expect(count('200') + count('201') + count('202'), JSON.stringify(run.outcomes)).toBeGreaterThan(cases / 20);
    expect(count('400'), JSON.stringify(run.outcomes)).toBeGreaterThan(cases / 10);
    expect(count('401') + count('403'), JSON.stringify(run.outcomes)).toBeGreaterThan(0);
    expect(await target.problems()).toEqual([]);
  }, 120_000);
});
