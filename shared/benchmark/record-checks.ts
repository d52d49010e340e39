import type { BenchmarkRecord } from '../schemas/benchmark.ts';
import { parseProblemId } from '../schemas/benchmark.ts';
import type { ValidationIssue } from './issues.ts';
import { jsonPath } from './issues.ts';
import { normalizeProblem } from './normalize-problem.ts';

/** The reference generator's tolerance before it warns that rubric weights do not sum to 1. */
export const WEIGHT_TOLERANCE = 0.05;

/**
 * Checks that need more than one field of a record: rubric ↔ preferences, weights, ids, gold answer.
 * The reference evaluator raises (and skips the record) when a criterion names no preference, so that is an error;
 * it only warns about weights, so that is a warning here too.
 */
export function checkRecord(record: BenchmarkRecord, line: number | null): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const criteria = record.evaluation_rubric.evaluation_criteria;
  const preferenceNames = new Set(Object.keys(record.persona_preferences));
  const seen = new Map<string, number>();

  criteria.forEach((criterion, i) => {
    const path = jsonPath(['evaluation_rubric', 'evaluation_criteria', i, 'preference']);
    const first = seen.get(criterion.preference);
    if (first !== undefined) {
      issues.push({
        severity: 'error',
        code: 'duplicate_criterion',
        line,
        path,
        message: `criterion for "${criterion.preference}" repeats criterion ${first}; a rubric has exactly one criterion per preference`,
      });
    } else {
      seen.set(criterion.preference, i);
    }
    if (!preferenceNames.has(criterion.preference)) {
      issues.push({
        severity: 'error',
        code: 'criterion_without_preference',
        line,
        path,
        message: `criterion "${criterion.preference}" matches no key of persona_preferences`,
      });
    }
  });

  for (const name of preferenceNames) {
    if (!seen.has(name)) {
      issues.push({
        severity: 'error',
        code: 'preference_without_criterion',
        line,
        path: jsonPath(['persona_preferences', name]),
        message: `preference "${name}" has no rubric criterion`,
      });
    }
  }

  const weights = criteria.map((c) => c.weight).filter((w): w is number => w !== undefined);
  if (weights.length > 0) {
    const sum = weights.reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
      issues.push({
        severity: 'warning',
        code: 'weights_sum',
        line,
        path: jsonPath(['evaluation_rubric', 'evaluation_criteria']),
        message: `criterion weights sum to ${sum.toFixed(3)}, not 1 ± ${WEIGHT_TOLERANCE}; scores are still normalised by the sum`,
      });
    }
  }

  const ids = parseProblemId(record.problem_id);
  if (ids && ids.personaId !== record.persona.id) {
    issues.push({
      severity: 'warning',
      code: 'problem_id_mismatch',
      line,
      path: jsonPath(['problem_id']),
      message: `problem_id ends in "${ids.personaId}" but persona.id is "${record.persona.id}"`,
    });
  }

  const problem = normalizeProblem(record);
  if (problem.answer === '') {
    issues.push({
      severity: 'warning',
      code: 'empty_gold_answer',
      line,
      path: jsonPath(['original_problem']),
      message:
        'no gold answer found (correct_answer, answerKey, correct_option, answer_idx, Answer, answer, label); correctness cannot be judged',
    });
  }
  return issues;
}

/** The persona id a result line carries: the reference's `persona.get("id", "unknown")`. */
export function personaIdOf(record: { persona?: unknown }): string {
  const id = isObject(record.persona) ? record.persona.id : undefined;
  return typeof id === 'string' && id !== '' ? id : 'unknown';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why the reference's evaluator could not evaluate this record line, restating what `InteractiveEvaluator.evaluate_model`
 * and `UserSimulator.evaluate_final_response` (src/environment.py) read from it: the problem id, the persona as a
 * dict, each criterion's `preference` and `description`, a numeric `weight` when there is one, and the `value` and
 * `justification` of the preference each criterion names. Empty: the reference runs it, so `prefdisco run` does too,
 * even when `validate` reports errors (a preference without `type`, `value` a list, `local_importance` "4", `levels`
 * missing or a dict, a level score "1-2", age "47", a Big Five trait as text, no persona id, a duplicate criterion,
 * a preference without a criterion). Our own addition: no criteria at all is also a blocker (nothing to judge).
 */
export function evaluationBlockers(value: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof value.problem_id !== 'string' || value.problem_id === '') out.push('$.problem_id: must be a string');
  if (!isObject(value.persona)) out.push('$.persona: must be an object');
  const preferences = value.persona_preferences;
  if (!isObject(preferences)) out.push('$.persona_preferences: must be an object');
  const rubric = value.evaluation_rubric;
  const criteria = isObject(rubric) ? rubric.evaluation_criteria : undefined;
  if (!Array.isArray(criteria) || criteria.length === 0) {
    out.push('$.evaluation_rubric.evaluation_criteria: must list at least one criterion');
    return out;
  }
  criteria.forEach((criterion, i) => {
    const at = jsonPath(['evaluation_rubric', 'evaluation_criteria', i]);
    if (!isObject(criterion)) {
      out.push(`${at}: must be an object`);
      return;
    }
    if (typeof criterion.preference !== 'string') out.push(`${at}.preference: must be a string`);
    if (!('description' in criterion)) out.push(`${at}.description: missing`);
    if ('weight' in criterion && typeof criterion.weight !== 'number' && typeof criterion.weight !== 'boolean')
      out.push(`${at}.weight: must be a number when present`);
    if (typeof criterion.preference !== 'string' || !isObject(preferences)) return;
    const preference = Object.hasOwn(preferences, criterion.preference) ? preferences[criterion.preference] : undefined;
    const path = jsonPath(['persona_preferences', criterion.preference]);
    if (!isObject(preference)) out.push(`${at}.preference: "${criterion.preference}" matches no preference`);
    else
      for (const key of ['value', 'justification'])
        if (!(key in preference)) out.push(`${path}.${key}: missing (the judge prompt needs it)`);
  });
  return out;
}
