import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { loadConfig } from '../config.ts';
import { deleteParticipant, participantByProlificId } from '../services/participants/participant-deletion.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { databaseOptions } from './cli-options.ts';

interface DeleteOptions {
  study: string;
  prolificId: string;
  db?: string;
}

/** `prefdisco participants delete`: a researcher deletes one participant's data (docs/data-protection.md). */
export function registerParticipantsDelete(group: Command, ctx: CliContext): void {
  const command = group
    .command('delete')
    .summary("delete one participant's data for good")
    .description(
      'Delete everything stored about one participant of a study, in one transaction: their episodes and the ' +
        'simulated twins made from them, ratings they gave and ratings of their answers, self-ratings, labels, ' +
        'outcome, consent record and sessions. Only a record that a deletion happened is kept (study, role, a keyed ' +
        'hash of the Prolific id, when, by whom). Agreement reports computed afterwards leave them out. ' +
        'Run it while the server is stopped or not: it is one transaction either way. ' +
        'Exit 0 deleted, 1 no such study or participant, 2 usage error.',
    )
    .requiredOption('--study <NAME_OR_ID>', 'the study, by name or id')
    .requiredOption('--prolific-id <PID>', 'the PROLIFIC_PID the person joined with');
  for (const option of databaseOptions(false)) command.addOption(option);
  command.action(async (options: DeleteOptions) => ctx.exit(await deleteByProlificId(options, ctx.io)));
}

async function deleteByProlificId(options: DeleteOptions, io: CliIo): Promise<number> {
  const storage = await openStorage(commandDatabase(options.db, loadConfig().database), 'tool');
  try {
    const study = (await storage.getStudy(options.study)) ?? (await storage.findStudyByName(options.study));
    if (!study) {
      io.err(`no study with the name or id "${options.study}"`);
      return 1;
    }
    let participantId: string;
    try {
      participantId = await participantByProlificId(storage, study.id, options.prolificId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') {
        io.err(`no participant of study "${study.name}" joined with the Prolific id "${options.prolificId}"`);
        return 1;
      }
      throw error;
    }
    // The CLI has no researcher account: it is whoever holds the database file, recorded as such.
    const done = await deleteParticipant(storage, participantId, { researcherId: 'cli' });
    io.out(
      `deleted the participant with Prolific id "${options.prolificId}" from study "${study.name}": ` +
        `${done.episodes} episode(s), ${done.twins} twin(s), ${done.ratings} rating(s)`,
    );
    return 0;
  } finally {
    await storage.close();
  }
}
