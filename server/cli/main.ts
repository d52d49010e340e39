import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.ts';
import { buildProgram } from './program.ts';

/** Commander's ways of ending that are not mistakes: help asked for, or the version. */
const NOT_ERRORS = new Set(['commander.helpDisplayed', 'commander.version']);

/**
 * Runs the CLI and returns the exit code: the command's own (0 ok, 1 findings, 3 spend cap, 130 interrupted), 0 for
 * help and --version, 2 for usage mistakes (also help shown because no command was given).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = buildProgram({ io, exit: (code) => (exitCode = code) });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (NOT_ERRORS.has(error.code)) return 0;
    if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
    return 2;
  }
}
