import { basename } from 'node:path';
import { detectSourceTask, taskForDataset } from '../../../shared/benchmark/source-task.ts';
import { StudyNameSchema, type ImportOutcome } from '../../../shared/schemas/study.ts';
import type { Storage } from '../../storage/storage.ts';
import type { ValidationReport } from './validation-report.ts';
import { validateBenchmarkFile } from './validate-benchmark-file.ts';

/** The file failed validation; nothing was stored. The report says what and where. */
export class ImportRejectedError extends Error {
  constructor(readonly report: ValidationReport) {
    super(`${report.file}: not imported, ${report.errorCount} error(s) found`);
    this.name = 'ImportRejectedError';
  }
}

export interface ImportFileResult {
  outcome: ImportOutcome;
  report: ValidationReport;
}

/**
 * Validates a benchmark file in full and, only if it has no errors, stores it (and creates the study if needed) in
 * one transaction: all or nothing. Importing the same file again changes nothing, except that records imported
 * before their float positions were kept get them.
 *
 * Each record is stored with the positions of the whole numbers its line wrote as floats (`4.0`) in its persona and
 * preferences, found while the line is validated (its one parse), so live episodes print its persona profile as the
 * reference does.
 */
export async function importBenchmarkFile(
  storage: Storage,
  file: string,
  /** yieldToOtherWriters: see ImportBenchmarkInput (default true: a server may be writing the same database). */
  options: { study: string; skipImages?: boolean; yieldToOtherWriters?: boolean },
): Promise<ImportFileResult> {
  const studyName = StudyNameSchema.parse(options.study);
  const report = await validateBenchmarkFile(file, {
    collect: true,
    skipImages: options.skipImages ?? false,
    profileFloats: true,
  });
  if (!report.valid || report.sha256 === null) throw new ImportRejectedError(report);

  const datasetTask = taskForDataset(report.metadata?.dataset);
  const outcome = await storage.importBenchmark({
    studyName,
    sourceName: basename(file),
    sha256: report.sha256,
    bytes: report.bytes,
    metadata: report.metadata,
    yieldToOtherWriters: options.yieldToOtherWriters ?? true,
    records: report.records.map((record, i) => ({
      line: report.recordLines[i] ?? 0,
      task: datasetTask ?? detectSourceTask(record.original_problem),
      record,
      integralFloats: report.recordFloats[i],
    })),
  });
  return { outcome, report };
}
