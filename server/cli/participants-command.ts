import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { participantData } from '../services/research/participant-data.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { databaseOptions } from './cli-options.ts';
import { registerParticipantsDelete } from './participants-delete-command.ts';

interface ExportOptions {
  study: string;
  prolificId: string;
  db?: string;
}

/**
 * `prefdisco participants …`: one participant's data (docs/data-protection.md). Each subcommand is registered here;
 * a subcommand with more than a few lines of its own lives in a file of its own and is added with one call.
 */
export function registerParticipants(program: Command, ctx: CliContext): Command {
  const group = program
    .command('participants')
    .summary("one participant's data, by study and Prolific id")
    .description("One participant's data, found by study and Prolific id.");
  const exportCommand = group
    .command('export')
    .summary('everything stored about one participant, as JSON')
    .description(
      'Print everything stored about one participant of a study as JSON, with their real ids (for giving a person ' +
        'their own data): who they are, their consent decision, outcome, the episodes they played with every ' +
        'event, their self-ratings, the ratings they gave and the problems they reported. ' +
        'Exit 0 printed, 1 no such study or participant, 2 usage error.',
    )
    .requiredOption('--study <NAME_OR_ID>', 'the study, by name or id')
    .requiredOption('--prolific-id <PID>', 'the PROLIFIC_PID the person joined with');
  for (const option of databaseOptions(false)) exportCommand.addOption(option);
  exportCommand.action(async (options: ExportOptions) => ctx.exit(await exportParticipant(options, ctx.io)));
  registerParticipantsDelete(group, ctx);
  return group;
}

async function exportParticipant(options: ExportOptions, io: CliIo): Promise<number> {
  const storage = SqliteStorage.open({ file: options.db ?? loadConfig().databaseFile });
  try {
    const study = (await storage.getStudy(options.study)) ?? (await storage.findStudyByName(options.study));
    if (!study) {
      io.err(`no study with the name or id "${options.study}"`);
      return 1;
    }
    const data = await participantData(storage, study.id, options.prolificId);
    if (!data) {
      io.err(`no participant of study "${study.name}" joined with the Prolific id "${options.prolificId}"`);
      return 1;
    }
    io.out(JSON.stringify(data, null, 2));
    return 0;
  } finally {
    await storage.close();
  }
}
