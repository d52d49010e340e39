import { importCommand } from './import-command.ts';
import { serveCommand } from './serve-command.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { validateCommand } from './validate-command.ts';

export const USAGE = `Usage: prefdisco <command> [options]

Commands:
  validate FILE... [--skip-images] [--json]
      Check benchmark JSONL files (reference PrefDisco format). Exit 0 valid, 1 invalid, 2 usage error.
  import FILE --study NAME [--skip-images] [--db PATH]
      Validate a benchmark file and store its records, personas and rubrics in a study (created if needed).
      All or nothing; importing the same file again changes nothing.
  serve
      Start the web app (same as npm start without the client build step).
  help
      Show this text.

Environment: PREFDISCO_DB (database file, default data/prefdisco.sqlite), PREFDISCO_PORT, PREFDISCO_HOST,
PREFDISCO_PERSONAS_DIR, PREFDISCO_LOG_LEVEL. See README.md.`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  validate: validateCommand,
  import: importCommand,
  serve: serveCommand,
};

/** Runs the CLI and returns the exit code. Usage mistakes exit 2 with the reason and the usage text. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    const { APP_VERSION } = await import('../version.ts');
    io.out(APP_VERSION);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`prefdisco: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
