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

/**
 * A rerun into a results file whose lines were asked with other prompts (another pack, or ours where the lines name a
 * pack): resuming would mix two prompt sets in one file, so nothing runs.
 */
export class PromptPackMismatchError extends Error {
  constructor(
    readonly file: string,
    readonly lines: number,
    readonly recorded: string,
    readonly requested: string,
  ) {
    super(
      `${file}: ${lines} result lines were asked with ${recorded}, this run with ${requested}; ` +
        'resuming would mix them: use the same --prompts, or another --out',
    );
    this.name = 'PromptPackMismatchError';
  }
}

/**
 * A rerun with `--image` into a results file whose lines were evaluated as text only, or the other way round:
 * resuming would mix answers to two different inputs in one file, so nothing runs.
 */
export class ImagesMismatchError extends Error {
  constructor(
    readonly file: string,
    readonly lines: number,
    readonly images: boolean,
  ) {
    super(
      `${file}: ${lines} result lines were evaluated ${images ? 'as text only' : 'with images (--image)'}, ` +
        `this run ${images ? 'with images (--image)' : 'as text only'}; resuming would mix them: ` +
        `${images ? 'leave out' : 'add'} --image, or use another --out`,
    );
    this.name = 'ImagesMismatchError';
  }
}
