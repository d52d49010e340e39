import type { ValidationIssue } from '../../../shared/benchmark/issues.ts';
import type { BenchmarkMetadata, BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';

/** What validateBenchmarkFile accepts and returns, and the report's start and end states. */

export interface ValidateOptions {
  /** Skip the image-file existence check (the reference validator's `--skip-images`). */
  skipImages?: boolean;
  /** Keep the parsed records and metadata in the result (import needs them; plain validation does not). */
  collect?: boolean;
  maxLineBytes?: number;
  /**
   * `prefdisco run` without --strict: keep every record line the reference's evaluator could run (implies `collect`),
   * even in an invalid file; the lines it could not run are listed in `skipped` with their reasons.
   */
  tolerant?: boolean;
  /** At most this many schema issues are listed per line; the rest are counted in one line. */
  maxIssuesPerLine?: number;
  /**
   * Fill `recordFloats`: each kept line that can hold a whole number written as a float is scanned (not parsed again)
   * for their positions (profile-floats.ts). Runs, `prompts show` and import ask for them; plain validation does not.
   */
  profileFloats?: boolean;
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
  /**
   * Parallel to `records`: the whole numbers the line wrote as floats in its persona and preferences
   * (profile-floats.ts), so the persona profile prints `4.0` where the file has it, as the reference does. Empty
   * sets unless `profileFloats` was asked for.
   */
  recordFloats: ReadonlySet<string>[];
  /** With `tolerant`: the lines a run cannot evaluate, with why. */
  skipped: SkippedLine[];
}

/** A line of a benchmark file that a tolerant run leaves out, and why (written to the run's failures file). */
export interface SkippedLine {
  line: number;
  problemId: string | null;
  personaId: string | null;
  reasons: string[];
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
    recordFloats: [],
    skipped: [],
  };
}

/** Counts the issues and settles validity; an invalid file keeps no collected records unless the reading is tolerant. */
export function finishReport(report: ValidationReport, tolerant = false): ValidationReport {
  report.errorCount = report.issues.filter((i) => i.severity === 'error').length;
  report.warningCount = report.issues.length - report.errorCount;
  report.valid = report.errorCount === 0;
  if (!report.valid && !tolerant) {
    report.records = [];
    report.recordLines = [];
    report.recordFloats = [];
  }
  return report;
}
