import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import type { ValidationIssue } from '../../../shared/benchmark/issues.ts';
import { jsonPath } from '../../../shared/benchmark/issues.ts';
import { checkRecord } from '../../../shared/benchmark/record-checks.ts';
import type { BenchmarkMetadata, BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import {
  BenchmarkMetadataSchema,
  BenchmarkRecordSchema,
  METADATA_TYPE,
  RECORD_TYPE,
} from '../../../shared/schemas/benchmark.ts';
import { IMAGES_FOLDER, resolveImage } from './image-path.ts';
import { DEFAULT_MAX_LINE_BYTES, readJsonlLines } from './read-jsonl-lines.ts';
import { describeError } from '../../../shared/errors.ts';

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

/**
 * Deepest nesting a line may have. Records nest about six levels; JSON.parse accepts far deeper values, but storing one
 * overflowed the stack of JSON.stringify inside the import transaction (found by fuzzing: an import that threw a
 * RangeError instead of reporting the line). Refused here, with its line, like any other malformed input.
 */
const MAX_NESTING = 100;

/** The path to the first value nested deeper than `max` (recursion stops there, so it cannot overflow), else null. */
function nestedDeeperThan(value: unknown, max: number, path: (string | number)[]): (string | number)[] | null {
  if (value === null || typeof value !== 'object') return null;
  if (path.length >= max) return [...path];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const hit = nestedDeeperThan(value[i], max, path);
      path.pop();
      if (hit) return hit;
    }
    return null;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    path.push(key);
    const hit = nestedDeeperThan((value as Record<string, unknown>)[key], max, path);
    path.pop();
    if (hit) return hit;
  }
  return null;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaIssues(error: z.ZodError, line: number, limit: number): ValidationIssue[] {
  const shown = error.issues.slice(0, limit).map<ValidationIssue>((issue) => ({
    severity: 'error',
    code: 'schema',
    line,
    path: jsonPath(issue.path),
    message: issue.message,
  }));
  if (error.issues.length > limit) {
    shown.push({
      severity: 'error',
      code: 'schema',
      line,
      path: '',
      message: `${error.issues.length - limit} more schema errors on this line`,
    });
  }
  return shown;
}

/** "Unexpected token } in JSON at position 12" → a message without the engine's wording of positions. */
function jsonErrorMessage(error: unknown): string {
  const text = describeError(error);
  return `not valid JSON: ${text}`;
}

function imageOf(record: BenchmarkRecord): { image: string; path: string } | null {
  const parsed = record.parsed_problem;
  if (parsed && typeof parsed.image === 'string' && parsed.image)
    return { image: parsed.image, path: '$.parsed_problem.image' };
  const original = record.original_problem.image;
  if (typeof original === 'string' && original) return { image: original, path: '$.original_problem.image' };
  return null;
}

/**
 * Validates a benchmark JSONL file: everything the reference's `scripts/validate_benchmark.py` checks plus
 * schema, rubric ↔ preference, weight, id and encoding checks. Never throws on bad content; every problem becomes an
 * issue with its line and JSON path.
 */
export async function validateBenchmarkFile(file: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const report: ValidationReport = {
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
  const add = (issue: ValidationIssue): void => {
    report.issues.push(issue);
  };
  const finish = (): ValidationReport => {
    report.errorCount = report.issues.filter((i) => i.severity === 'error').length;
    report.warningCount = report.issues.length - report.errorCount;
    report.valid = report.errorCount === 0;
    if (!report.valid) {
      report.records = [];
      report.recordLines = [];
    }
    return report;
  };

  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      add({
        severity: 'error',
        code: 'unreadable_file',
        line: null,
        path: '',
        message: 'is a directory, not a benchmark file',
      });
      return finish();
    }
    if (info.size === 0) {
      add({ severity: 'error', code: 'empty_file', line: null, path: '', message: 'the file is empty' });
      return finish();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot read the file (${code ?? 'unknown error'})`;
    add({ severity: 'error', code: 'unreadable_file', line: null, path: '', message });
    return finish();
  }

  const baseDir = dirname(resolve(file));
  const imageExists = new Map<string, boolean>();
  const firstLineOf = new Map<string, number>();
  const limit = options.maxIssuesPerLine ?? 20;
  let metadataLine: number | null = null;

  try {
    for await (const entry of readJsonlLines(file, {
      maxLineBytes: options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      onDigest: (sha, bytes) => {
        report.sha256 = sha;
        report.bytes = bytes;
      },
    })) {
      report.lineCount = entry.line;
      const line = entry.line;
      if (entry.kind === 'too_long') {
        const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
        add({
          severity: 'error',
          code: 'line_too_long',
          line,
          path: '',
          message: `line is ${entry.bytes} bytes, over the ${max}-byte limit`,
        });
        continue;
      }
      if (entry.kind === 'not_utf8') {
        add({
          severity: 'error',
          code: 'not_utf8',
          line,
          path: '',
          message: `not valid UTF-8 (first bad byte at offset ${entry.offset} of the line)`,
        });
        continue;
      }
      if (entry.text.trim() === '') continue;

      let value: unknown;
      try {
        value = JSON.parse(entry.text);
      } catch (error) {
        add({ severity: 'error', code: 'invalid_json', line, path: '', message: jsonErrorMessage(error) });
        continue;
      }
      if (!isPlainObject(value)) {
        add({
          severity: 'error',
          code: 'not_an_object',
          line,
          path: '$',
          message: 'each line must be one JSON object',
        });
        continue;
      }
      const deep = nestedDeeperThan(value, MAX_NESTING, []);
      if (deep) {
        add({
          severity: 'error',
          code: 'invalid_json',
          line,
          path: jsonPath(deep),
          message: `nested deeper than ${MAX_NESTING} levels`,
        });
        continue;
      }
      const type = value.type;
      if (typeof type !== 'string') {
        add({
          severity: 'error',
          code: 'missing_type',
          line,
          path: '$.type',
          message: `"type" must be "${METADATA_TYPE}" or "${RECORD_TYPE}"`,
        });
        continue;
      }
      report.countsByType[type] = (report.countsByType[type] ?? 0) + 1;

      if (type === METADATA_TYPE) {
        const parsed = BenchmarkMetadataSchema.safeParse(value);
        if (!parsed.success) {
          report.issues.push(...schemaIssues(parsed.error, line, limit));
          continue;
        }
        if (metadataLine !== null) {
          add({
            severity: 'warning',
            code: 'duplicate_metadata',
            line,
            path: '$',
            message: `second metadata line (first on line ${metadataLine}); the last one is used`,
          });
        }
        metadataLine = line;
        report.metadata = parsed.data;
        continue;
      }
      if (type !== RECORD_TYPE) {
        add({
          severity: 'warning',
          code: 'unknown_type',
          line,
          path: '$.type',
          message: `type "${type}" is ignored by the evaluator`,
        });
        continue;
      }

      report.recordCount += 1;
      const parsed = BenchmarkRecordSchema.safeParse(value);
      if (!parsed.success) {
        report.issues.push(...schemaIssues(parsed.error, line, limit));
        // Still catch duplicates on lines whose id is readable, so one run reports both problems.
        if (typeof value.problem_id === 'string' && !firstLineOf.has(value.problem_id))
          firstLineOf.set(value.problem_id, line);
        continue;
      }
      const record = parsed.data;
      const first = firstLineOf.get(record.problem_id);
      if (first !== undefined) {
        add({
          severity: 'error',
          code: 'duplicate_problem_id',
          line,
          path: '$.problem_id',
          message: `problem_id "${record.problem_id}" already used on line ${first}`,
        });
      } else {
        firstLineOf.set(record.problem_id, line);
      }
      report.issues.push(...checkRecord(record, line));

      const image = options.skipImages ? null : imageOf(record);
      if (image && !URL_SCHEME.test(image.image)) {
        let found = imageExists.get(image.image);
        if (found === undefined) {
          found = (await resolveImage(baseDir, image.image)) !== null;
          imageExists.set(image.image, found);
        }
        // One message for missing and not allowed (outside images/): the answer must not tell them apart.
        if (!found) {
          add({
            severity: 'error',
            code: 'missing_image',
            line,
            path: image.path,
            message: `image file "${image.image}" not found in the ${IMAGES_FOLDER}/ folder next to the benchmark (use --skip-images to skip this check)`,
          });
        }
      }
      if (options.collect) {
        // Keep the value as parsed from the file, not zod's copy, so key order and unknown fields round-trip exactly.
        report.records.push(value as BenchmarkRecord);
        report.recordLines.push(line);
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    add({
      severity: 'error',
      code: 'unreadable_file',
      line: null,
      path: '',
      message: `reading stopped: ${code ?? (error instanceof Error ? error.message : 'unknown error')}`,
    });
    return finish();
  }

  if (report.recordCount === 0) {
    add({ severity: 'error', code: 'no_records', line: null, path: '', message: `no "${RECORD_TYPE}" lines` });
  }
  return finish();
}
