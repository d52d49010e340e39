import type { Command } from 'commander';
import { main } from '../main.ts';
import type { CliContext } from './cli-io.ts';

export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .summary('start the web app')
    .description(
      'Start the web app (same as npm start without the client build step). ' +
        'Configured by the PREFDISCO_* environment variables (prefdisco --help lists them).',
    )
    .action(async () => {
      const { url } = await main();
      ctx.io.out(`\n  PrefDisco Live is ready: open ${url}  (Ctrl+C stops it)\n`);
      ctx.exit(0);
    });
}
