import { main } from '../main.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0)
    throw new UsageError('serve takes no arguments; configure it with PREFDISCO_* environment variables');
  const { url } = await main();
  io.out(`\n  PrefDisco Live is ready: open ${url}  (Ctrl+C stops it)\n`);
  return 0;
}
