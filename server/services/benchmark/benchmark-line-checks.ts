import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import type { ValidationIssue } from '../../../shared/benchmark/issues.ts';
import { jsonPath } from '../../../shared/benchmark/issues.ts';
import { describeError } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';

/** The per-line and per-file checks validateBenchmarkFile runs, each turning one kind of problem into issues. */

/**
 * Deepest nesting a line may have. Records nest about six levels; JSON.parse accepts far deeper values, but storing one
 * overflowed the stack of JSON.stringify inside the import transaction (found by fuzzing: an import that threw a
 * RangeError instead of reporting the line). Refused here, with its line, like any other malformed input.
 */
export const MAX_NESTING = 100;

/** The path to the first value nested deeper than `max` (recursion stops there, so it cannot overflow), else null. */
export function nestedDeeperThan(value: unknown, max: number, path: (string | number)[]): (string | number)[] | null {
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

export const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function schemaIssues(error: z.ZodError, line: number, limit: number): ValidationIssue[] {
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
export function jsonErrorMessage(error: unknown): string {
  const text = describeError(error);
  return `not valid JSON: ${text}`;
}

export function imageOf(record: BenchmarkRecord): { image: string; path: string } | null {
  const parsed = record.parsed_problem;
  if (parsed && typeof parsed.image === 'string' && parsed.image)
    return { image: parsed.image, path: '$.parsed_problem.image' };
  const original = record.original_problem.image;
  if (typeof original === 'string' && original) return { image: original, path: '$.original_problem.image' };
  return null;
}

/** Why the file cannot be read as a benchmark at all (missing, a directory, empty, not readable), else null. */
export async function fileAccessIssue(file: string): Promise<ValidationIssue | null> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) {
      return {
        severity: 'error',
        code: 'unreadable_file',
        line: null,
        path: '',
        message: 'is a directory, not a benchmark file',
      };
    }
    if (info.size === 0) {
      return { severity: 'error', code: 'empty_file', line: null, path: '', message: 'the file is empty' };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : `cannot read the file (${code ?? 'unknown error'})`;
    return { severity: 'error', code: 'unreadable_file', line: null, path: '', message };
  }
  return null;
}
