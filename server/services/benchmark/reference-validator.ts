import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isPlainObject } from './benchmark-line-checks.ts';
import { readJsonlLines } from './read-jsonl-lines.ts';

/**
 * `prefdisco validate --reference`: exactly the checks of the reference's validator (`scripts/validate_benchmark.py`,
 * `main`), restated, so a researcher can tell "the reference would accept this file" from "we would". Its rules:
 * - blank lines are skipped; a line that is not JSON is an error;
 * - each line is counted under its `type` ("missing" when absent); metadata lines are not checked further;
 * - every other line must have `type`, `problem_id`, `original_problem`, `persona`, `persona_preferences` and
 *   `evaluation_rubric`;
 * - a `problem_id` seen before is an error;
 * - `evaluation_rubric.evaluation_criteria` must be present and non-empty;
 * - the image (`parsed_problem.image`, else `original_problem.image`), when a non-empty string without a URL scheme,
 *   must be a file relative to the benchmark's folder (unless `skipImages`).
 * Where the reference's script would stop with a Python exception (a line that is not an object, a rubric or
 * parsed_problem that is not an object, text that is not UTF-8), this reports an error for that line and goes on.
 */

export const REFERENCE_REQUIRED_FIELDS = [
  'evaluation_rubric',
  'original_problem',
  'persona',
  'persona_preferences',
  'problem_id',
  'type',
] as const;

/** Python's urlparse: a scheme is letters first, then letters, digits, + - . before the first ':'. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

export interface ReferenceValidation {
  file: string;
  /** Lines counted (every non-blank line, metadata included), as the reference prints "Records:". */
  records: number;
  countsByType: Record<string, number>;
  /** The reference's error lines, in file order ("line 3: missing ['persona']"). */
  errors: string[];
  valid: boolean;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Python's repr of a string, as the reference prints a duplicate id with `!r`. */
function quoted(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export async function referenceValidate(
  file: string,
  options: { skipImages?: boolean } = {},
): Promise<ReferenceValidation> {
  const countsByType: Record<string, number> = {};
  const errors: string[] = [];
  const ids = new Set<string>();
  const folder = dirname(resolve(file));
  try {
    // No line cap: the reference reads every line whole.
    for await (const entry of readJsonlLines(file, { maxLineBytes: Number.MAX_SAFE_INTEGER })) {
      const n = entry.line;
      if (entry.kind !== 'text') {
        errors.push(`line ${n}: not valid UTF-8 (the reference stops here with a decoding error)`);
        continue;
      }
      if (entry.text.trim() === '') continue;
      let row: unknown;
      try {
        row = JSON.parse(entry.text);
      } catch (error) {
        errors.push(`line ${n}: invalid JSON (${(error as Error).message})`);
        continue;
      }
      if (!isPlainObject(row)) {
        errors.push(`line ${n}: not a JSON object (the reference stops here with an exception)`);
        continue;
      }
      const type = Object.hasOwn(row, 'type') ? row.type : 'missing';
      const typeKey = typeof type === 'string' ? type : JSON.stringify(type);
      countsByType[typeKey] = (countsByType[typeKey] ?? 0) + 1;
      if (type === 'metadata') continue;

      const missing = REFERENCE_REQUIRED_FIELDS.filter((f) => !Object.hasOwn(row, f));
      if (missing.length > 0) errors.push(`line ${n}: missing [${missing.map((f) => `'${f}'`).join(', ')}]`);
      const problemId = row.problem_id;
      const idKey = problemId === undefined || problemId === null ? null : JSON.stringify(problemId);
      if (idKey !== null && ids.has(idKey))
        errors.push(`line ${n}: duplicate problem_id ${typeof problemId === 'string' ? quoted(problemId) : idKey}`);
      else if (idKey !== null) ids.add(idKey);

      const rubric = Object.hasOwn(row, 'evaluation_rubric') ? row.evaluation_rubric : {};
      if (!isPlainObject(rubric)) {
        errors.push(`line ${n}: evaluation_rubric is not an object (the reference stops here with an exception)`);
      } else if (!truthy(rubric.evaluation_criteria)) {
        errors.push(`line ${n}: empty evaluation rubric`);
      }

      const parsed = Object.hasOwn(row, 'parsed_problem') ? row.parsed_problem : {};
      const original = Object.hasOwn(row, 'original_problem') ? row.original_problem : {};
      if (!isPlainObject(parsed)) {
        errors.push(`line ${n}: parsed_problem is not an object (the reference stops here with an exception)`);
        continue;
      }
      let image = parsed.image;
      if (image === undefined || image === null || image === '') {
        if (!isPlainObject(original)) {
          errors.push(`line ${n}: original_problem is not an object (the reference stops here with an exception)`);
          continue;
        }
        image = original.image;
      }
      if (typeof image === 'string' && image !== '' && !options.skipImages && !SCHEME.test(image)) {
        const path = resolve(folder, image);
        if (!(await isFile(path))) errors.push(`line ${n}: missing image ${path}`);
      }
    }
  } catch (error) {
    errors.push(`the file cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const records = Object.values(countsByType).reduce((a, b) => a + b, 0);
  return { file, records, countsByType, errors, valid: errors.length === 0 };
}

/** Python truthiness of a JSON value. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}
