import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { formatIssue } from '../../shared/benchmark/issues.ts';
import { loadConfig } from '../config.ts';
import { ImportRejectedError, importBenchmarkFile } from '../services/benchmark/import-benchmark-file.ts';
import { AppError } from '../../shared/errors.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      study: { type: 'string' },
      db: { type: 'string' },
      'skip-images': { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('import takes exactly one FILE');
  if (!values.study) throw new UsageError('import needs --study NAME');
  const file = positionals[0] as string;

  const databaseFile = values.db ?? loadConfig().databaseFile;
  const storage = SqliteStorage.open({ file: databaseFile });
  try {
    const { outcome, report } = await importBenchmarkFile(storage, file, {
      study: values.study,
      skipImages: values['skip-images'],
    });
    for (const issue of report.issues) io.out(formatIssue(file, issue));
    if (outcome.alreadyImported) {
      io.out(
        `${file}: already imported into study "${values.study}"; nothing changed (${outcome.recordsUnchanged} records)`,
      );
    } else {
      io.out(
        `${file}: imported into study "${values.study}"${outcome.studyCreated ? ' (new study)' : ''}: ` +
          `${outcome.recordsAdded} records added, ${outcome.recordsUnchanged} unchanged, ` +
          `${outcome.personasAdded} personas and ${outcome.criteriaAdded} rubric criteria stored (database ${databaseFile})`,
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
    if (error instanceof ZodError) throw new UsageError(`--study: ${error.issues[0]?.message ?? 'invalid name'}`);
    throw error;
  } finally {
    await storage.close();
  }
}
