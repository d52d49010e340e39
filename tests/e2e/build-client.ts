import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';

/** The journeys test the built app the way `npm start` serves it, so build it first. */
export default function setup(): void {
  const result = spawnSync(
    process.execPath,
    [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
      // vitest sets NODE_ENV=test; the journey must test the production build that npm start serves.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (result.status !== 0) throw new Error('vite build failed');
}
