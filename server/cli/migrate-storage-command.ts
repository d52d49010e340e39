import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { redactDatabaseUrl } from '../config.ts';
import { openStorage } from '../open-storage.ts';
import {
  copySqliteToPostgres,
  CopyFailedError,
  CopyRefusedError,
  type CopyReport,
} from '../storage/copy-sqlite-to-postgres.ts';
import { DatabaseUnusableError, databaseProblem, MigrationError } from '../storage/errors.ts';
import { PostgresCopyTarget } from '../storage/postgres/postgres-copy-target.ts';
import { SqliteCopySource } from '../storage/sqlite/sqlite-copy-source.ts';
import type { ServerLeaseHolder } from '../storage/server-lease-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { CopyProgressReporter } from './copy-progress-line.ts';

interface MigrateOptions {
  from: string;
  to: string;
}

/** --to: a postgres:// URL. The usage line quotes what was given without its password. */
function postgresUrl(value: string): string {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Not a URL at all: refused below, and not echoed (it may hold a password in a form URL cannot parse).
    throw new InvalidArgumentError('expected a postgres:// or postgresql:// URL (postgresql://user:password@host/db)');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new InvalidArgumentError(
      `expected a postgres:// or postgresql:// URL (postgresql://user:password@host/db); got "${redactDatabaseUrl(value)}"`,
    );
  return value;
}

/** Whether a process with this pid exists on this machine (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lease left by a server on this machine whose process no longer runs (killed) holds nothing, as for `serve`. */
const holderIsGone = (holder: ServerLeaseHolder): boolean =>
  holder.host === hostname() && holder.pid !== process.pid && !processAlive(holder.pid);

/** `prefdisco migrate-storage --from FILE --to URL`: the SQLite database copied into an empty PostgreSQL one. */
export function registerMigrateStorage(program: Command, ctx: CliContext): void {
  program
    .command('migrate-storage')
    .summary('copy an SQLite database into an empty PostgreSQL database')
    .description(
      'Copy every table of the SQLite database FILE into the PostgreSQL database URL, in one transaction: all or ' +
        'nothing. The PostgreSQL database is migrated first and must hold no data; both must be at the same ' +
        'migration. Refused while a server serves FILE (stop it first). FILE is only read; back it up first ' +
        '(prefdisco backup). The password in URL is never printed. Then set PREFDISCO_DATABASE_URL=URL. ' +
        'See docs/scaling.md. Exit 0 copied, 1 refused or failed (nothing written).',
    )
    .requiredOption('--from <FILE>', 'the SQLite database file to copy')
    .requiredOption('--to <URL>', 'the PostgreSQL database (postgresql://user:password@host:5432/db)', postgresUrl)
    .action(async (options: MigrateOptions) => ctx.exit(await migrateStorage(options, ctx.io)));
}

async function migrateStorage(options: MigrateOptions, io: CliIo): Promise<number> {
  const from = resolve(options.from);
  const to = redactDatabaseUrl(options.to);
  if (!existsSync(from)) {
    io.err(`prefdisco: there is no SQLite database at ${from}`);
    return 1;
  }
  let source: SqliteCopySource;
  try {
    source = new SqliteCopySource(from);
  } catch (error) {
    const code = String((error as { code?: unknown }).code ?? '');
    // databaseProblem's advice is for the served database; a file to copy from only needs naming.
    const problem =
      code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
        ? `${from} is damaged or is not an SQLite database (${code})`
        : databaseProblem(from, error);
    if (problem === null) throw error;
    io.err(`prefdisco: ${problem}`);
    return 1;
  }
  // The same opening as `serve` on PostgreSQL: pending migrations applied, an unreachable server or refused login one line.
  try {
    await (await openStorage({ kind: 'postgres', url: options.to }, 'tool')).close();
  } catch (error) {
    source.close();
    if (error instanceof DatabaseUnusableError || error instanceof MigrationError) {
      io.err(`prefdisco: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const progress = io.progress ? new CopyProgressReporter(io.progress) : null;
  const started = Date.now();
  let report: CopyReport;
  try {
    const target = await PostgresCopyTarget.connect(options.to);
    try {
      report = await copySqliteToPostgres(source, target, {
        now: new Date(),
        holderIsGone,
        onProgress: (p) => progress?.update(p),
      });
    } finally {
      await target.close();
    }
  } catch (error) {
    progress?.finish();
    if (error instanceof CopyRefusedError || error instanceof CopyFailedError) {
      io.err(`prefdisco: not migrated: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    source.close();
  }
  progress?.finish();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  for (const table of report.tables) io.out(`${table.name.padEnd(28)} ${table.rows}`);
  io.out(
    `copied ${report.totalRows} rows in ${report.tables.length} tables from ${from} to ${to} in ${seconds} s ` +
      `(migration ${String(report.migrationLevel).padStart(3, '0')}); serve it with PREFDISCO_DATABASE_URL`,
  );
  return 0;
}
