import { main } from '../main.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';

export async function serveCommand(args: string[], _io: CliIo): Promise<number> {
  if (args.length > 0) throw new UsageError('serve takes no arguments; configure it with PREFDISCO_* environment variables');
  await main();
  return 0;
}
