import { pythonRepr, pythonStr } from './python-repr.ts';
import { referenceExtractJson } from './reference-json.ts';

/**
 * How the reference treats a judge's or simulator's reply, for `--reference-quirks` runs (docs/engine.md). One reply,
 * no second ask; read with the reference's own JSON reader (`reference-json.ts`).
 */

/** The failure code of an episode the reference would have skipped (it raised and wrote nothing). */
export const REFERENCE_SKIP = 'reference_skip';

/** Thrown under `--reference-quirks` where the reference raises: the episode is skipped with this reason. */
export class ReferenceSkipError extends Error {}

/** An outcome the reference reaches by raising: the whole (record, mode, user type) is skipped. */
export interface ReferenceSkip {
  ok: false;
  reason: string;
}

export type ReferenceScore =
  | { ok: true; score: number; justification: string; note?: string }
  | ReferenceSkip
  /** The reply was read, but its score cannot be weighed: the reference fails once it sums the scores. */
  | { ok: 'unweighable'; reason: string };

/**
 * A rubric judge reply as `environment.py::UserSimulator.evaluate_final_response` uses it: unreadable → the episode
 * is skipped at once; no `score` → 1; any number (3.5, 7, 0) → kept as it is; true/false → 1/0 (Python's bool is an
 * integer); null, text or a list → the weighted sum raises after every criterion is judged, so the episode is skipped.
 */
export function referenceRubricReply(raw: string): ReferenceScore {
  const read = referenceExtractJson(raw);
  if (!read.ok) return { ok: false, reason: read.error };
  if (typeof read.value !== 'object' || read.value === null || Array.isArray(read.value))
    return { ok: false, reason: 'the reply is not a JSON object' };
  const reply = read.value as Record<string, unknown>;
  const justification = 'justification' in reply ? pythonStr(reply.justification) : '';
  if (!('score' in reply)) return { ok: true, score: 1, justification, note: 'no "score": counted as 1' };
  const score = reply.score;
  if (typeof score === 'boolean')
    return { ok: true, score: score ? 1 : 0, justification, note: `score ${String(score)} counted as ${+score}` };
  if (typeof score === 'number' && Number.isFinite(score)) {
    const odd = !Number.isInteger(score) || score < 1 || score > 5;
    return { ok: true, score, justification, ...(odd ? { note: `score ${score} kept as given` } : {}) };
  }
  return { ok: 'unweighable', reason: `score ${pythonRepr(score)} cannot be weighed` };
}

export type ReferenceCorrectness =
  { ok: true; correct: 0 | 1 | null; justification: string; note?: string } | ReferenceSkip;

/**
 * A correctness judge reply as `environment.py::UserSimulator._evaluate_correctness` uses it: unreadable → correct
 * iff the raw text contains "is correct" (case-sensitive), with the whole text as the justification; read but without
 * `correct` → the result line cannot be built and the episode is skipped; null → stored as null (judged again on
 * resume). 0/1 and true/false are the answer. Any other value (2, "yes") the reference stores as it is and adds into
 * its accuracy sums, which a 0/1 result cannot carry, so here it skips the episode.
 */
export function referenceCorrectnessReply(raw: string): ReferenceCorrectness {
  const read = referenceExtractJson(raw);
  if (!read.ok) {
    return { ok: true, correct: raw.includes('is correct') ? 1 : 0, justification: raw, note: read.error };
  }
  const reply = read.value as Record<string, unknown>;
  if (!('correct' in reply)) return { ok: false, reason: 'no "correct" in the correctness reply' };
  const justification = 'justification' in reply ? pythonStr(reply.justification) : '';
  const value = reply.correct;
  if (value === null) return { ok: true, correct: null, justification, note: 'correct is null' };
  if (value === 0 || value === false) return { ok: true, correct: 0, justification };
  if (value === 1 || value === true) return { ok: true, correct: 1, justification };
  return { ok: false, reason: `correct is ${pythonRepr(value)}, which a 0/1 result cannot hold` };
}

/**
 * A simulator reply as `environment.py::UserSimulator.respond_to_assistant` uses it: unreadable → the episode is
 * skipped; `response` → Python's str() of it; no `response` → "I don't understand.".
 */
export function referenceSimulatorReply(
  raw: string,
  fallback: string,
): { ok: true; response: string; thought?: string; note?: string } | ReferenceSkip {
  const read = referenceExtractJson(raw);
  if (!read.ok) return { ok: false, reason: read.error };
  const reply = read.value as Record<string, unknown>;
  const thought = typeof reply.thought === 'string' && reply.thought !== '' ? { thought: reply.thought } : {};
  if (!('response' in reply)) return { ok: true, response: fallback, ...thought, note: 'no "response"' };
  return { ok: true, response: pythonStr(reply.response), ...thought };
}
