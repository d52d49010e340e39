import type { Command } from 'commander';
import { describeDatabase, loadConfig } from '../config.ts';
import { createResearcher } from '../services/auth/accounts.ts';
import { AppError } from '../../shared/errors.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { databaseOptions } from './cli-options.ts';

/** Reads one line from the terminal or a pipe (`prompt` is shown only on a terminal); null when there is none or Ctrl-C. */
export type PasswordReader = (prompt: string) => Promise<string | null>;

interface CreateOptions {
  username: string;
  db?: string;
}

/**
 * `prefdisco admin create --username NAME [--db PATH]`: creates a researcher account. The password comes from
 * PREFDISCO_ADMIN_PASSWORD or stdin, never from an argument (arguments are visible to other users in `ps`).
 */
export function registerAdmin(
  program: Command,
  ctx: CliContext,
  readPassword: PasswordReader = readPasswordFromStdin,
): void {
  const admin = program.command('admin').summary('researcher accounts').description('Researcher accounts.');
  const create = admin
    .command('create')
    .summary('create a researcher account')
    .description(
      'Create a researcher account. The password (at least 10 characters) is read from PREFDISCO_ADMIN_PASSWORD or ' +
        'from stdin (typed without echo on a terminal, or the first line of a pipe); never from an argument. ' +
        'Exit 0 created, 1 refused (name taken, password too short or missing), 2 usage error.',
    )
    .requiredOption('--username <NAME>', "the researcher's user name");
  for (const option of databaseOptions(false)) create.addOption(option);
  create.action(async (options: CreateOptions) => ctx.exit(await createAccount(options, ctx.io, readPassword)));
}

async function createAccount(options: CreateOptions, io: CliIo, readPassword: PasswordReader): Promise<number> {
  const config = loadConfig();
  const password = config.adminPassword ?? (await readPassword(`Password for ${options.username}: `));
  if (password === null) {
    io.err('prefdisco: no password given (type it, pipe it on stdin, or set PREFDISCO_ADMIN_PASSWORD)');
    return 1;
  }
  const database = commandDatabase(options.db, config.database);
  const storage = await openStorage(database, 'tool');
  try {
    const researcher = await createResearcher(storage, options.username, password);
    io.out(`created researcher "${researcher.username}" (database ${describeDatabase(database)})`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`prefdisco: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}

/** One line from stdin. On a terminal the typed characters are not echoed; in a pipe the first line is taken. */
export function readPasswordFromStdin(prompt: string): Promise<string | null> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return new Promise((resolve) => {
      let buffered = '';
      const onData = (chunk: Buffer): void => {
        buffered += chunk.toString('utf8');
        const end = buffered.search(/\r?\n/);
        if (end >= 0) finish(buffered.slice(0, end));
      };
      const finish = (line: string | null): void => {
        stdin.off('data', onData);
        stdin.off('end', onEnd);
        stdin.pause();
        resolve(line);
      };
      const onEnd = (): void => finish(buffered === '' ? null : buffered);
      stdin.on('data', onData);
      stdin.once('end', onEnd);
    });
  }
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003') return done(() => resolve(null));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    const done = (settle: () => void): void => {
      stdin.setRawMode(false);
      stdin.off('data', onData);
      stdin.pause();
      process.stderr.write('\n');
      settle();
    };
    stdin.on('data', onData);
  });
}
