import type { ImportOutcome } from '../../../shared/schemas/study.ts';
import type { DatabaseLocation } from '../../config.ts';
import type { AppErrorData } from '../thread-errors.ts';
import type { ValidationReport } from './validation-report.ts';

// What crosses between the live loop and the benchmark import pool's thread (benchmark-imports.ts): plain data only.

/** What the thread is asked (server/benchmark-import-thread.ts). */
export interface ImportTask {
  database: DatabaseLocation;
  /** The file to validate and import, on this machine (an upload's temporary file). */
  file: string;
  study: string;
  skipImages: boolean;
}

/**
 * What the thread answers: the outcome, or the validation report of a rejected file (ImportRejectedError), or an
 * AppError as data (a `conflict`). Reports cross without their parsed records (`records`, `recordLines`,
 * `recordFloats` empty): the caller reads counts and issues only, and a 100 MB file's records are not copied back.
 */
export type ImportThreadOutcome =
  | { imported: { outcome: ImportOutcome; report: ValidationReport } }
  | { rejected: ValidationReport }
  | { refusal: AppErrorData };

/** The report without the parsed records, to cross back to the caller. */
export function withoutRecords(report: ValidationReport): ValidationReport {
  return { ...report, records: [], recordLines: [], recordFloats: [] };
}
