import type { ValidationReport } from '../benchmark/validation-report.ts';
import type { ResultLineIssue } from './result-files.ts';

export class InvalidBenchmarkError extends Error {
  constructor(readonly report: ValidationReport) {
    super(`${report.file}: the benchmark file is invalid (${report.errorCount} errors)`);
    this.name = 'InvalidBenchmarkError';
  }
}

export class ResultsFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ResultLineIssue[],
  ) {
    super(
      `${file}: ${issues.length} lines are not result lines (first: line ${issues[0]?.line}: ${issues[0]?.message}); fix or move the file`,
    );
    this.name = 'ResultsFileError';
  }
}
