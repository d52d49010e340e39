import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';

/** Settings of the browser tests, read once from the environment (the tests' counterpart of server/config.ts). */
export function e2eSettings(fallbackShotsDir: string, env: NodeJS.ProcessEnv = process.env): { screenshotDir: string; clientDir: string } {
  return {
    screenshotDir: env.E2E_SCREENSHOT_DIR || fallbackShotsDir,
    clientDir: env.PREFDISCO_CLIENT_DIR || join(PROJECT_ROOT, 'dist', 'client'),
  };
}
