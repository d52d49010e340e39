import { z } from 'zod';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { Criterion } from '../../shared/schemas/rubric.ts';
import type { ModelProvider, TokenUsage } from '../models/model-provider.ts';
import { callForJson } from './json-call.ts';
import { renderPrompt } from './prompt-library.ts';
import { encloseUntrusted } from './untrusted-text.ts';

/** The rubric judge's temperature in the reference. */
export const RUBRIC_JUDGE_TEMPERATURE = 0.1;

const JudgeReplySchema = z.looseObject({
  score: z.coerce.number().int('must be an integer').min(1).max(5),
  justification: z.coerce.string().default(''),
});

export interface CriterionJudgment {
  preference: string;
  /** 1–5, or null when no valid score could be obtained (never silently 1 unless the reference switch is on). */
  score: number | null;
  justification: string;
  weight: number;
  attempts: number;
  issue?: string;
  usage: TokenUsage;
}

export interface RubricJudgeOptions {
  /** Reference behaviour: an unusable judge reply counts as score 1. Off by default: it is recorded instead. */
  missingScoreAsOne?: boolean;
  parseRetries?: number;
  signal?: AbortSignal;
}

/** A criterion's weight, or 1/N when the rubric leaves it out (as the reference's judge does). */
export function criterionWeight(criterion: Criterion, criteriaCount: number): number {
  return criterion.weight ?? 1 / criteriaCount;
}

/**
 * Weighted PrefAlign score Σ wᵢ·sᵢ / Σ wᵢ over scored criteria, in [1, 5]; 0 when there is nothing to weigh (as the
 * reference). Criteria without a score are left out and the episode is marked as having an incomplete judgment.
 */
export function weightedScore(judgments: Pick<CriterionJudgment, 'score' | 'weight'>[]): number {
  let sum = 0;
  let weights = 0;
  for (const j of judgments) {
    if (j.score === null) continue;
    sum += j.weight * j.score;
    weights += j.weight;
  }
  return weights === 0 ? 0 : sum / weights;
}

/** Scores one criterion of the final answer with one judge call (plus retries for unusable replies). */
export async function judgeCriterion(
  judge: ModelProvider,
  record: BenchmarkRecord,
  criterion: Criterion,
  response: string,
  options: RubricJudgeOptions = {},
): Promise<CriterionJudgment> {
  const preference = record.persona_preferences[criterion.preference];
  const weight = criterionWeight(criterion, record.evaluation_rubric.evaluation_criteria.length);
  const prompt = renderPrompt('rubricJudgeUser', {
    criterion_name: criterion.preference,
    criterion_description: criterion.description,
    levels_json: JSON.stringify(criterion.levels, null, 2),
    // The final answer is the model's (in a live session, shaped by the participant): data, never instructions.
    response: encloseUntrusted('RESPONSE', response).block,
    preference_value: preference === undefined ? 'Not specified' : String(preference.value),
    preference_justification: preference?.justification ?? 'Not specified',
  });
  const result = await callForJson(
    judge,
    {
      messages: [
        { role: 'system', content: renderPrompt('rubricJudgeSystem') },
        { role: 'user', content: prompt },
      ],
      purpose: 'rubric_judge',
      temperature: RUBRIC_JUDGE_TEMPERATURE,
      ...(options.signal ? { signal: options.signal } : {}),
      hint: { criterion, preference: preference ?? null, response },
    },
    JudgeReplySchema,
    options.parseRetries ?? 2,
  );

  const issue = result.issues.length > 0 ? result.issues.join(' | ') : undefined;
  if (result.value === null) {
    return {
      preference: criterion.preference,
      score: options.missingScoreAsOne ? 1 : null,
      justification: '',
      weight,
      attempts: result.attempts,
      issue: `no usable score${options.missingScoreAsOne ? ' (counted as 1, reference behaviour)' : ''}: ${issue ?? ''}`,
      usage: result.usage,
    };
  }
  return {
    preference: criterion.preference,
    score: result.value.score,
    justification: result.value.justification,
    weight,
    attempts: result.attempts,
    ...(issue ? { issue } : {}),
    usage: result.usage,
  };
}
