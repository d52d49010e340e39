import { dirname, resolve } from 'node:path';
import type { ValidationIssue } from '../../../shared/benchmark/issues.ts';
import { jsonPath } from '../../../shared/benchmark/issues.ts';
import { checkRecord, evaluationBlockers } from '../../../shared/benchmark/record-checks.ts';
import { PersonaProfileError, personaProfile } from '../../engine/persona-profile.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import {
  BenchmarkMetadataSchema,
  BenchmarkRecordSchema,
  METADATA_TYPE,
  RECORD_TYPE,
} from '../../../shared/schemas/benchmark.ts';
import {
  fileAccessIssue,
  imageOf,
  isPlainObject,
  jsonErrorMessage,
  MAX_NESTING,
  nestedDeeperThan,
  schemaIssues,
  URL_SCHEME,
} from './benchmark-line-checks.ts';
import { IMAGES_FOLDER, resolveImage } from './image-path.ts';
import { NO_FLOATS, profileFloatPaths } from './profile-floats.ts';
import { DEFAULT_MAX_LINE_BYTES, readJsonlLines } from './read-jsonl-lines.ts';
import { emptyReport, finishReport, type ValidateOptions, type ValidationReport } from './validation-report.ts';

/**
 * Validates a benchmark JSONL file: everything the reference's `scripts/validate_benchmark.py` checks plus
 * schema, rubric ↔ preference, weight, id and encoding checks. Never throws on bad content; every problem becomes an
 * issue with its line and JSON path.
 */
export async function validateBenchmarkFile(file: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const report = emptyReport(file);
  const add = (issue: ValidationIssue): void => {
    report.issues.push(issue);
  };
  const tolerant = options.tolerant === true;
  const finish = (): ValidationReport => finishReport(report, tolerant);
  const floatsOf = (text: string): ReadonlySet<string> =>
    options.profileFloats === true ? profileFloatPaths(text) : NO_FLOATS;

  const accessIssue = await fileAccessIssue(file);
  if (accessIssue) {
    add(accessIssue);
    return finish();
  }

  const baseDir = dirname(resolve(file));
  const imageExists = new Map<string, boolean>();
  const firstLineOf = new Map<string, number>();
  const limit = options.maxIssuesPerLine ?? 20;
  let metadataLine: number | null = null;

  const imageFound = async (image: string): Promise<boolean> => {
    let found = imageExists.get(image);
    if (found === undefined) {
      found = (await resolveImage(baseDir, image)) !== null;
      imageExists.set(image, found);
    }
    return found;
  };
  /** A line a tolerant run cannot use at all (not JSON, not an object, no type). */
  const skipLine = (line: number, reason: string): void => {
    if (tolerant) report.skipped.push({ line, problemId: null, personaId: null, reasons: [reason] });
  };
  /**
   * Tolerant runs: keep a record line the reference's evaluator could run, whatever our schema says of it; list the
   * others as skipped with every reason.
   */
  const keepForRun = async (
    value: Record<string, unknown>,
    line: number,
    text: string,
    duplicateOf: number | undefined,
  ) => {
    const reasons = evaluationBlockers(value);
    if (duplicateOf !== undefined) reasons.push(`$.problem_id: already used on line ${duplicateOf}`);
    if (reasons.length === 0) {
      try {
        personaProfile(value as BenchmarkRecord);
      } catch (error) {
        if (!(error instanceof PersonaProfileError)) throw error;
        reasons.push(error.message);
      }
    }
    const image =
      options.skipImages || !isPlainObject(value.original_problem) ? null : imageOf(value as BenchmarkRecord);
    if (image && !URL_SCHEME.test(image.image) && !(await imageFound(image.image)))
      reasons.push(`${image.path}: image file "${image.image}" not found`);
    if (reasons.length > 0) {
      const persona = isPlainObject(value.persona) ? value.persona.id : undefined;
      report.skipped.push({
        line,
        problemId: typeof value.problem_id === 'string' ? value.problem_id : null,
        personaId: typeof persona === 'string' ? persona : null,
        reasons,
      });
      return;
    }
    report.records.push(value as BenchmarkRecord);
    report.recordLines.push(line);
    report.recordFloats.push(floatsOf(text));
  };

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
        skipLine(line, `line is ${entry.bytes} bytes, over the ${max}-byte limit`);
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
        skipLine(line, 'not valid UTF-8');
        continue;
      }
      if (entry.text.trim() === '') continue;

      let value: unknown;
      try {
        value = JSON.parse(entry.text);
      } catch (error) {
        add({ severity: 'error', code: 'invalid_json', line, path: '', message: jsonErrorMessage(error) });
        skipLine(line, jsonErrorMessage(error));
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
        skipLine(line, 'not a JSON object');
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
        skipLine(line, `nested deeper than ${MAX_NESTING} levels`);
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
        skipLine(line, '"type" missing or not a string');
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
        const earlier = typeof value.problem_id === 'string' ? firstLineOf.get(value.problem_id) : undefined;
        if (typeof value.problem_id === 'string' && earlier === undefined) firstLineOf.set(value.problem_id, line);
        if (tolerant) await keepForRun(value, line, entry.text, earlier);
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
        const found = await imageFound(image.image);
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
      if (tolerant) {
        await keepForRun(value, line, entry.text, first);
      } else if (options.collect) {
        // Keep the value as parsed from the file, not zod's copy, so key order and unknown fields round-trip exactly.
        report.records.push(value as BenchmarkRecord);
        report.recordLines.push(line);
        report.recordFloats.push(floatsOf(entry.text));
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
