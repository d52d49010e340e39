#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx, so it works right after `npm install`, without a build.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../server/cli/main.ts');
const { processIo } = await import('../server/cli/cli-io.ts');
const { describeStartupError } = await import('../server/main.ts');
try {
  process.exitCode = await runCli(process.argv.slice(2), processIo);
} catch (error) {
  process.stderr.write(`prefdisco: ${describeStartupError(error)}\n`);
  process.exitCode = 1;
}
