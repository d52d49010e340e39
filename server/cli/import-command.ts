import type { Command } from 'commander';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import { StudyNameSchema } from '../../shared/schemas/study.ts';
import { describeDatabase, loadConfig } from '../config.ts';
import { ImportRejectedError, importBenchmarkFile } from '../services/benchmark/import-benchmark-file.ts';
import { AppError } from '../../shared/errors.ts';
import { commandDatabase, openStorage } from '../open-storage.ts';
import { chooseImportOwner } from '../services/access/import-owner.ts';
import { ownNewStudy } from '../services/access/study-access.ts';
import { usageErrorText } from './usage-error.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { bySchema, databaseOptions } from './cli-options.ts';

interface ImportOptions {
  study: string;
  owner?: string;
  db?: string;
  skipImages?: boolean;
}

export function registerImport(program: Command, ctx: CliContext): void {
  const command = program
    .command('import')
    .summary('store a benchmark file in a study')
    .description(
      'Validate a benchmark file and store its records, personas and rubrics in a study (created if needed). ' +
        'All or nothing; importing the same file again changes nothing. Exit 0 stored, 1 rejected, 2 usage error.',
    )
    .argument('<FILE>', 'benchmark JSONL file')
    .requiredOption('--study <NAME>', 'the study to import into (created if needed)', bySchema(StudyNameSchema))
    .option('--skip-images', 'do not check that image files named in records exist')
    .option(
      '--owner <USERNAME>',
      'the researcher who owns a new study (default: the only account; with none yet, the first one made)',
    );
  for (const option of databaseOptions(false)) command.addOption(option);
  command.action(async (file: string, options: ImportOptions) =>
    ctx.exit(await importFile(file, options, ctx.io, command)),
  );
}

async function importFile(file: string, options: ImportOptions, io: CliIo, command: Command): Promise<number> {
  const database = commandDatabase(options.db, loadConfig().database);
  const storage = await openStorage(database, 'tool');
  try {
    // Decided before anything is stored, so a missing --owner leaves the database as it was.
    const existing = await storage.findStudyByName(options.study);
    const owner = existing && options.owner === undefined ? null : await chooseImportOwner(storage, options.owner);
    if (owner?.kind === 'usage') {
      io.err(usageErrorText(command, owner.message, undefined).trimEnd());
      return 2;
    }
    // A server serving this database keeps writing (live play): leave it the lock between the import's transactions.
    const served = await storage.serverLease.current();
    const { outcome, report } = await importBenchmarkFile(storage, file, {
      study: options.study,
      skipImages: options.skipImages === true,
      yieldToOtherWriters: served !== null && Date.parse(served.expiresAt) > Date.now(),
    });
    if (owner?.kind === 'owner') await ownNewStudy(storage, outcome.studyId, owner.researcherId);
    for (const issue of report.issues) io.out(formatIssue(file, issue));
    if (outcome.alreadyImported) {
      io.out(
        `${file}: already imported into study "${options.study}"; nothing changed (${outcome.recordsUnchanged} records)`,
      );
    } else {
      io.out(
        `${file}: imported into study "${options.study}"${outcome.studyCreated ? ' (new study)' : ''}: ` +
          `${outcome.recordsAdded} records added, ${outcome.recordsUnchanged} unchanged, ` +
          `${outcome.personasAdded} personas and ${outcome.criteriaAdded} rubric criteria stored (database ${describeDatabase(database)})`,
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportRejectedError) {
      for (const issue of error.report.issues) io.err(formatIssue(file, issue));
      io.err(`${file}: not imported: ${error.report.errorCount} errors; nothing was stored`);
      return 1;
    }
    if (error instanceof AppError) {
      io.err(`${file}: not imported: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}
