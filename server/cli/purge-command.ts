import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { purgeExpired } from '../services/participants/retention-purge.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { databaseOptions } from './cli-options.ts';

interface PurgeOptions {
  dryRun?: boolean;
  db?: string;
}

/** `prefdisco purge`: the retention purge the server runs daily, on demand or as a dry run (docs/data-protection.md). */
export function registerPurge(program: Command, ctx: CliContext): void {
  const command = program
    .command('purge')
    .summary('delete participant data of studies closed longer than their retention')
    .description(
      'Delete every participant of each closed study whose retention (the retentionDays setting, 0 = keep) has run ' +
        'out, as a withdrawal deletes them; a record that each deletion happened is kept. The server does the same at ' +
        'start-up and every PREFDISCO_RETENTION_PURGE_HOURS (default 24). With --dry-run, list what would go and ' +
        'delete nothing. Prints one line per study. Exit 0 done, 2 usage error.',
    )
    .option('--dry-run', 'list the studies and participant counts that would be deleted; change nothing');
  for (const option of databaseOptions(false)) command.addOption(option);
  command.action(async (options: PurgeOptions) => ctx.exit(await purge(options, ctx.io)));
}

async function purge(options: PurgeOptions, io: CliIo): Promise<number> {
  const storage = await openStorage(commandDatabase(options.db, loadConfig().database), 'tool');
  try {
    const dryRun = options.dryRun === true;
    const studies = await purgeExpired(storage, { dryRun });
    for (const s of studies) {
      io.out(
        `${dryRun ? 'would delete' : 'deleted'} ${s.participants} participant(s) of study "${s.studyName}" ` +
          `(closed ${s.closedAt}, retention ${s.retentionDays} days, due ${s.dueAt})`,
      );
    }
    if (studies.length === 0) io.out('no study is past its retention');
    return 0;
  } finally {
    await storage.close();
  }
}
