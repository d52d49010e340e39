import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { holdServerLease, ServerLeaseHeldError } from '../services/server-lease.ts';
import { DatabaseUnusableError, MigrationError } from '../storage/errors.ts';
import { notRestorableReason, restoreDatabase } from '../storage/sqlite/sqlite-backup.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { CliContext } from './cli-io.ts';
import { databaseOptions } from './cli-options.ts';

/** `prefdisco restore FILE`: replaces the database with a backup, keeping the replaced one beside it. */
export function registerRestore(program: Command, ctx: CliContext): void {
  const command = program
    .command('restore')
    .summary('replace the database with a backup')
    .description(
      'Replace the database with FILE (made by prefdisco backup). Refused while a server serves the database ' +
        '(stop it first) and unless FILE is an undamaged PrefDisco database. The replaced database is kept as ' +
        '<database>.before-restore-<time>. Exit 0 restored, 1 refused or failed.',
    )
    .argument('<FILE>', 'the backup to restore');
  for (const option of databaseOptions(false)) command.addOption(option);
  command.action(async (file: string, options: { db?: string }) => {
    const config = loadConfig();
    if (options.db === undefined && config.database.kind === 'postgres') {
      ctx.io.err(
        'prefdisco: prefdisco restore works on SQLite; use pg_restore for the PostgreSQL database (PREFDISCO_DATABASE_URL)',
      );
      return ctx.exit(1);
    }
    const databaseFile = options.db ?? config.databaseFile;
    const from = resolve(file);
    const problem = notRestorableReason(from);
    if (problem !== null) {
      ctx.io.err(`prefdisco: cannot restore ${from}: ${problem}`);
      return ctx.exit(1);
    }
    const refusal = await serverHolding(databaseFile);
    if (refusal !== null) {
      ctx.io.err(`prefdisco: not restoring: ${refusal}`);
      return ctx.exit(1);
    }
    const { keptAs } = await restoreDatabase(databaseFile, from, new Date());
    ctx.io.out(`restored ${from} to ${databaseFile}` + (keptAs ? `; the replaced database is kept as ${keptAs}` : ''));
    ctx.exit(0);
  });
}

/** Why a server holds the database (its lease, as `serve` would be refused), or null if none does. */
async function serverHolding(databaseFile: string): Promise<string | null> {
  if (!existsSync(databaseFile)) return null;
  let storage: SqliteStorage;
  try {
    storage = SqliteStorage.open({ file: databaseFile });
  } catch (error) {
    // A damaged or newer database is a reason to restore, and no server can be serving it.
    if (error instanceof DatabaseUnusableError || error instanceof MigrationError) return null;
    throw error;
  }
  try {
    const lease = await holdServerLease(storage.serverLease, databaseFile);
    await lease.release();
    return null;
  } catch (error) {
    if (error instanceof ServerLeaseHeldError) return error.message;
    throw error;
  } finally {
    await storage.close();
  }
}
