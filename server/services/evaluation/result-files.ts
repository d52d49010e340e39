import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { readJsonlLines } from '../benchmark/read-jsonl-lines.ts';
import { EvalResultSchema, type EvalResult } from '../../../shared/schemas/evaluation.ts';
import { jsonPath } from '../../../shared/benchmark/issues.ts';
import { describeError } from '../../../shared/errors.ts';

/** `results/x_results.jsonl` → `results/x_results_aggregate.jsonl`, the reference's naming. */
export function companionPath(resultsFile: string, suffix: 'aggregate' | 'failures'): string {
  const base = resultsFile.endsWith('.jsonl') ? resultsFile.slice(0, -'.jsonl'.length) : resultsFile;
  return `${base}_${suffix}.jsonl`;
}

export interface ResultLineIssue {
  line: number;
  message: string;
}

export interface ResultsFile {
  results: EvalResult[];
  /** Lines that are not result lines (broken JSON, foreign objects), with why. */
  issues: ResultLineIssue[];
  /** Lines rewritten from the reference's legacy keys (user_prompt, correctness_justification). */
  migrated: number;
}

/**
 * Upgrades the reference's legacy result keys as its resume logic does: `user_prompt` → `user_type`, and a
 * top-level `correctness_justification` moved into `evaluation.correctness`.
 */
function migrateLegacy(value: Record<string, unknown>): boolean {
  let changed = false;
  if (value.user_type === undefined && typeof value.user_prompt === 'string') {
    value.user_type = value.user_prompt;
    delete value.user_prompt;
    changed = true;
  }
  const evaluation = value.evaluation as Record<string, unknown> | undefined;
  if (
    typeof value.correctness_justification === 'string' &&
    evaluation &&
    typeof evaluation === 'object' &&
    evaluation.correctness === undefined
  ) {
    if (value.correct === 0 || value.correct === 1 || typeof value.correct === 'boolean') {
      evaluation.correctness = { justification: value.correctness_justification, correct: value.correct };
    }
    delete value.correctness_justification;
    changed = true;
  }
  return changed;
}

/** Reads a results file written by us or by the reference; unreadable lines are reported, never dropped silently. */
export async function readResultsFile(file: string): Promise<ResultsFile> {
  const out: ResultsFile = { results: [], issues: [], migrated: 0 };
  if (!existsSync(file)) return out;
  for await (const entry of readJsonlLines(file)) {
    if (entry.kind !== 'text') {
      out.issues.push({ line: entry.line, message: entry.kind === 'too_long' ? 'line too long' : 'not valid UTF-8' });
      continue;
    }
    if (entry.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(entry.text);
    } catch (error) {
      out.issues.push({
        line: entry.line,
        message: `not valid JSON: ${describeError(error)}`,
      });
      continue;
    }
    if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      migrateLegacy(value as Record<string, unknown>)
    )
      out.migrated += 1;
    const parsed = EvalResultSchema.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      out.issues.push({
        line: entry.line,
        message: `not a result line: ${first ? `${jsonPath(first.path)}: ${first.message}` : 'invalid'}`,
      });
      continue;
    }
    out.results.push(value as EvalResult);
  }
  return out;
}

/** Appends one line; each result is on disk as soon as its episode ends, so an interrupted run loses nothing done. */
export function appendJsonLine(file: string, value: unknown): void {
  appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/** Replaces a file's content atomically (write a temporary file, then rename over the original). */
export function rewriteJsonLines(file: string, values: unknown[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, values.map((v) => `${JSON.stringify(v)}\n`).join(''));
  renameSync(tmp, file);
}
