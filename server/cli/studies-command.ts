import type { Command } from 'commander';
import { AppError } from '../../shared/errors.ts';
import { STUDY_ROLES, type StudyRole } from '../../shared/schemas/study-access.ts';
import { describeDatabase, loadConfig } from '../config.ts';
import { shareStudyFromCli } from '../services/access/study-members.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { choiceOption, databaseOptions } from './cli-options.ts';

interface ShareOptions {
  study: string;
  username: string;
  role: StudyRole;
  db?: string;
}

/**
 * `prefdisco studies share --study S --username U --role R`: gives an account a role in a study from the machine the
 * database is on — the way back in when a study's last owner lost their account (docs/data-protection.md).
 */
export function registerStudies(program: Command, ctx: CliContext): Command {
  const group = program
    .command('studies')
    .summary("researchers' roles in studies")
    .description('Researchers\' roles in studies (docs/data-protection.md, "Researcher access").');
  const share = group
    .command('share')
    .summary('give a researcher account a role in a study, or change it')
    .description(
      'Give an existing researcher account a role in a study (owner, collaborator or viewer), or change the role it ' +
        "has; recorded in the study's audit log. For when nobody who can share the study in the console is left. " +
        'Exit 0 done, 1 no such study or account, or the last owner would be demoted, 2 usage error.',
    )
    .requiredOption('--study <NAME_OR_ID>', 'the study, by name or id')
    .requiredOption('--username <NAME>', "the researcher's user name")
    .addOption(choiceOption('--role <ROLE>', 'the role to give', STUDY_ROLES).makeOptionMandatory());
  for (const option of databaseOptions(false)) share.addOption(option);
  share.action(async (options: ShareOptions) => ctx.exit(await shareStudy(options, ctx.io)));
  return group;
}

async function shareStudy(options: ShareOptions, io: CliIo): Promise<number> {
  const database = commandDatabase(options.db, loadConfig().database);
  const storage = await openStorage(database, 'tool');
  try {
    const study = (await storage.getStudy(options.study)) ?? (await storage.findStudyByName(options.study));
    if (!study) {
      io.err(`prefdisco: no study with the name or id "${options.study}"`);
      return 1;
    }
    const { member, before } = await shareStudyFromCli(storage, study.id, options.username, options.role);
    io.out(
      before === null
        ? `"${member.username}" is now ${member.role} of study "${study.name}" (database ${describeDatabase(database)})`
        : `"${member.username}" was ${before}, is now ${member.role} of study "${study.name}" (database ${describeDatabase(database)})`,
    );
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
