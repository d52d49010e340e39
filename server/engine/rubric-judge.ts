import { z } from 'zod';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { Criterion } from '../../shared/schemas/rubric.ts';
import type { ModelProvider, TokenUsage } from '../models/model-provider.ts';
import { callForJson } from './json-call.ts';
import { pythonJsonDumps, pythonStr } from './python-repr.ts';
import { ReferenceSkipError, referenceRubricReply } from './reference-replies.ts';
import { renderPrompt, type PromptSet } from './prompt-library.ts';
import { encloseUntrusted } from './untrusted-text.ts';

/** The rubric judge's temperature in the reference. */
export const RUBRIC_JUDGE_TEMPERATURE = 0.1;

const JudgeReplySchema = z.looseObject({
  score: z.coerce.number().int('must be an integer').min(1).max(5),
  justification: z.coerce.string().default(''),
});

export interface CriterionJudgment {
  preference: string;
  /**
   * An integer 1–5, or null when no valid score could be obtained. Under `--reference-quirks`, whatever number the
   * judge gave (the reference keeps 3.5 or 7), and null when it gave no number.
   */
  score: number | null;
  justification: string;
  weight: number;
  attempts: number;
  issue?: string;
  usage: TokenUsage;
}

/** What of a record the rubric judge reads: the hidden preferences and the rubric. */
export type JudgedRecord = Pick<BenchmarkRecord, 'persona_preferences' | 'evaluation_rubric'>;

export interface RubricJudgeOptions {
  /**
   * `--reference-quirks`: one call, read as the reference reads it (`referenceRubricReply`): no score → 1, any number
   * kept, an unreadable reply skips the episode. Off by default: unusable replies are asked again, then recorded.
   */
  reference?: boolean;
  parseRetries?: number;
  signal?: AbortSignal;
  /** A prompt pack's judge prompts; ours when absent. */
  prompts?: PromptSet;
}

/** A criterion's weight, or 1/N when the rubric leaves it out (as the reference's judge does). */
export function criterionWeight(criterion: Criterion, criteriaCount: number): number {
  const weight: unknown = criterion.weight;
  // A file the reference runs may hold true/false here; Python multiplies a bool as 1/0.
  return typeof weight === 'boolean' ? Number(weight) : (criterion.weight ?? 1 / criteriaCount);
}

/**
 * Weighted PrefAlign score Σ wᵢ·sᵢ / Σ wᵢ over scored criteria, in [1, 5]; 0 when there is nothing to weigh (as the
 * reference). Criteria without a score are left out and the episode is marked as having an incomplete judgment.
 * Two criteria for the same preference count once, with the later one's score and weight: the reference keeps its
 * scores in a dict keyed by preference, so the later judgment replaces the earlier.
 */
export function weightedScore(
  judgments: (Pick<CriterionJudgment, 'score' | 'weight'> & { preference?: string })[],
): number {
  const byPreference = new Map<string | number, Pick<CriterionJudgment, 'score' | 'weight'>>();
  judgments.forEach((j, i) => byPreference.set(j.preference ?? i, j));
  let sum = 0;
  let weights = 0;
  for (const j of byPreference.values()) {
    if (j.score === null) continue;
    sum += j.weight * j.score;
    weights += j.weight;
  }
  return weights === 0 ? 0 : sum / weights;
}

/** A `--reference-quirks` judgment of the one raw reply (docs/engine.md); a score that cannot be weighed is null. */
function referenceJudgment(
  preference: string,
  weight: number,
  result: { raw: string; attempts: number; usage: TokenUsage },
): CriterionJudgment {
  const read = referenceRubricReply(result.raw);
  if (read.ok === false) throw new ReferenceSkipError(`criterion "${preference}": ${read.reason}`);
  const base = { preference, weight, attempts: result.attempts, usage: result.usage };
  if (read.ok === 'unweighable') return { ...base, score: null, justification: '', issue: read.reason };
  return {
    ...base,
    score: read.score,
    justification: read.justification,
    ...(read.note ? { issue: `${read.note} (reference behaviour)` } : {}),
  };
}

/**
 * The judge's two messages for one criterion. `responseBlock` is the final answer already enclosed
 * (`encloseUntrusted`); `prefdisco prompts show` passes a marked placeholder, so it prints what a run sends.
 */
export function rubricJudgeMessages(
  record: JudgedRecord,
  criterion: Criterion,
  responseBlock: string,
  prompts?: PromptSet,
): [{ role: 'system'; content: string }, { role: 'user'; content: string }] {
  const preference = record.persona_preferences[criterion.preference];
  const prompt = renderPrompt(
    'rubricJudgeUser',
    {
      criterion_name: criterion.preference,
      criterion_description: criterion.description,
      // As the reference's `json.dumps(criterion.get('levels', []), indent=2)`: non-ASCII as \u escapes.
      levels_json: pythonJsonDumps(Object.hasOwn(criterion, 'levels') ? criterion.levels : []),
      // The final answer is the model's (in a live session, shaped by the participant): data, never instructions.
      response: responseBlock,
      // Python's str() as the reference's f-string formats them: a list value reads ['a', 'b'].
      preference_value: preference === undefined ? 'Not specified' : pythonStr(preference.value),
      preference_justification: preference === undefined ? 'Not specified' : pythonStr(preference.justification),
    },
    prompts,
  );
  return [
    { role: 'system', content: renderPrompt('rubricJudgeSystem', {}, prompts) },
    { role: 'user', content: prompt },
  ];
}

/** Scores one criterion of the final answer with one judge call (plus retries for unusable replies). */
export async function judgeCriterion(
  judge: ModelProvider,
  record: JudgedRecord,
  criterion: Criterion,
  response: string,
  options: RubricJudgeOptions = {},
): Promise<CriterionJudgment> {
  const preference = record.persona_preferences[criterion.preference];
  const weight = criterionWeight(criterion, record.evaluation_rubric.evaluation_criteria.length);
  const request = {
    messages: rubricJudgeMessages(record, criterion, encloseUntrusted('RESPONSE', response).block, options.prompts),
    purpose: 'rubric_judge' as const,
    temperature: RUBRIC_JUDGE_TEMPERATURE,
    ...(options.signal ? { signal: options.signal } : {}),
    hint: { criterion, preference: preference ?? null, response },
  };
  if (options.reference) {
    // One reply, read the reference's way: nothing is rejected by a schema and nothing asked again.
    return referenceJudgment(criterion.preference, weight, await callForJson(judge, request, z.unknown(), 0));
  }
  const result = await callForJson(judge, request, JudgeReplySchema, options.parseRetries ?? 2);

  const issue = result.issues.length > 0 ? result.issues.join(' | ') : undefined;
  if (result.value === null) {
    return {
      preference: criterion.preference,
      score: null,
      justification: '',
      weight,
      attempts: result.attempts,
      issue: `no usable score: ${issue ?? ''}`,
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
