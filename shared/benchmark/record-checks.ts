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
