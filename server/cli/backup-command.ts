import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { backupDatabase } from '../storage/sqlite/sqlite-backup.ts';
import type { CliContext } from './cli-io.ts';
import { databaseOptions } from './cli-options.ts';

interface BackupOptions {
  out: string;
  force?: boolean;
  db?: string;
}

/** `prefdisco backup --out FILE`: a consistent copy of the database, safe while the server serves. */
export function registerBackup(program: Command, ctx: CliContext): void {
  const command = program
    .command('backup')
    .summary('copy the database, safely while the server runs')
    .description(
      'Copy the database to FILE with SQLite online backup: a consistent copy, safe while the server serves ' +
        '(copying the file by hand can catch it half-written). Exit 0 copied, 1 refused or failed.',
    )
    .requiredOption('--out <FILE>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists');
  for (const option of databaseOptions(false)) command.addOption(option);
  command.action(async (options: BackupOptions) => {
    const config = loadConfig();
    // SQLite's online backup copies a file; a PostgreSQL database has its own tools.
    if (options.db === undefined && config.database.kind === 'postgres') {
      ctx.io.err(
        'prefdisco: prefdisco backup works on SQLite; use pg_dump for the PostgreSQL database (PREFDISCO_DATABASE_URL)',
      );
      return ctx.exit(1);
    }
    const databaseFile = options.db ?? config.databaseFile;
    const out = resolve(options.out);
    if (existsSync(out) && !options.force) {
      ctx.io.err(`prefdisco: ${out} exists; choose another --out, or add --force to overwrite it`);
      return ctx.exit(1);
    }
    if (!existsSync(databaseFile)) {
      ctx.io.err(`prefdisco: there is no database at ${databaseFile} (PREFDISCO_DB or --db)`);
      return ctx.exit(1);
    }
    const started = Date.now();
    let bytes: number;
    try {
      ({ bytes } = await backupDatabase(databaseFile, out));
    } catch (error) {
      // A missing folder, a full disk, no permission: one line, the backup is not there.
      ctx.io.err(
        `prefdisco: cannot back up ${databaseFile} to ${out}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return ctx.exit(1);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    ctx.io.out(`backed up ${databaseFile} to ${out}: ${(bytes / 1e6).toFixed(1)} MB in ${seconds} s`);
    ctx.exit(0);
  });
}
