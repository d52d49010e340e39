import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';

/** Settings of the browser tests, read once from the environment (the tests' counterpart of server/config.ts). */
export function e2eSettings(
  fallbackShotsDir: string,
  env: NodeJS.ProcessEnv = process.env,
): { screenshotDir: string; clientDir: string } {
  return {
    screenshotDir: env.E2E_SCREENSHOT_DIR || fallbackShotsDir,
    clientDir: env.PREFDISCO_CLIENT_DIR || join(PROJECT_ROOT, 'dist', 'client'),
  };
}

/**
 * Fuzz settings (tests/integration/fuzz-*.test.ts): `FUZZ_SEED` reruns a reported seed; `FUZZ_CASES` overrides the
 * number of cases (the tests' default is small enough for `npm test`; `npm run bench:fuzz` runs a large one).
 */
export function fuzzSettings(
  defaultCases: number,
  env: NodeJS.ProcessEnv = process.env,
): { seed: number; cases: number; first: number } {
  const seed = Number(env.FUZZ_SEED);
  const cases = Number(env.FUZZ_CASES);
  const first = Number(env.FUZZ_FIRST_CASE);
  return {
    // A fixed default seed keeps `npm test` deterministic; a new seed is a deliberate choice.
    seed: Number.isInteger(seed) && seed >= 0 ? seed : 20_260_101,
    cases: Number.isInteger(cases) && cases > 0 ? cases : defaultCases,
    first: Number.isInteger(first) && first >= 0 ? first : 0,
  };
}

/**
 * Crash test size (tests/integration/live-crash.test.ts): `npm test` plays 20 sessions through 3 kills to stay quick
 * on 2 cores; `npm run test:crash` sets CRASH_SESSIONS=50 and CRASH_KILLS=5, the size the crash promise is stated at.
 */
export function crashSettings(env: NodeJS.ProcessEnv = process.env): { sessions: number; kills: number } {
  const sessions = Number(env.CRASH_SESSIONS);
  const kills = Number(env.CRASH_KILLS);
  return {
    sessions: Number.isInteger(sessions) && sessions > 0 ? sessions : 20,
    kills: Number.isInteger(kills) && kills > 0 ? kills : 3,
  };
}
