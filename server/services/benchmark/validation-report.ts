import type { ValidationIssue } from '../../../shared/benchmark/issues.ts';
import type { BenchmarkMetadata, BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';

/** What validateBenchmarkFile accepts and returns, and the report's start and end states. */

export interface ValidateOptions {
  /** Skip the image-file existence check (the reference validator's `--skip-images`). */
  skipImages?: boolean;
  /** Keep the parsed records and metadata in the result (import needs them; plain validation does not). */
  collect?: boolean;
  maxLineBytes?: number;
  /** At most this many schema issues are listed per line; the rest are counted in one line. */
  maxIssuesPerLine?: number;
}

export interface ValidationReport {
  file: string;
  valid: boolean;
  issues: ValidationIssue[];
  errorCount: number;
  warningCount: number;
  /** Lines per `type` value, as the reference validator prints them. */
  countsByType: Record<string, number>;
  recordCount: number;
  lineCount: number;
  sha256: string | null;
  bytes: number;
  /** The last metadata line (the evaluator keeps the last one). */
  metadata: BenchmarkMetadata | null;
  /** Filled only with `collect: true` and only when the file is valid. */
  records: BenchmarkRecord[];
  /** Each collected record's source line, parallel to `records`. */
  recordLines: number[];
}

export function emptyReport(file: string): ValidationReport {
  return {
    file,
    valid: false,
    issues: [],
    errorCount: 0,
    warningCount: 0,
    countsByType: {},
    recordCount: 0,
    lineCount: 0,
    sha256: null,
    bytes: 0,
    metadata: null,
    records: [],
    recordLines: [],
  };
}

/** Counts the issues and settles validity; an invalid file keeps no collected records. */
export function finishReport(report: ValidationReport): ValidationReport {
  report.errorCount = report.issues.filter((i) => i.severity === 'error').length;
  report.warningCount = report.issues.length - report.errorCount;
  report.valid = report.errorCount === 0;
  if (!report.valid) {
    report.records = [];
    report.recordLines = [];
  }
  return report;
}
