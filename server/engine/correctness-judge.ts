import { z } from 'zod';
import type { NormalizedProblem } from '../../shared/schemas/problem.ts';
import type { ModelProvider, TokenUsage } from '../models/model-provider.ts';
import { callForJson } from './json-call.ts';
import { renderPrompt } from './prompt-library.ts';
import { pythonRepr } from './python-repr.ts';
import { encloseUntrusted } from './untrusted-text.ts';

/**
 * The reference asks for temperature 0 but its client turns 0 into the default 0.7 (`temperature or default`).
 * We use 0 as intended; `REFERENCE_CORRECTNESS_TEMPERATURE` restores the reference's behaviour.
 */
export const CORRECTNESS_TEMPERATURE = 0;
export const REFERENCE_CORRECTNESS_TEMPERATURE = 0.7;

const CorrectnessReplySchema = z.looseObject({
  justification: z.coerce.string().default(''),
  correct: z.union([z.literal(0), z.literal(1), z.boolean(), z.enum(['0', '1', 'true', 'false'])]),
});

export interface CorrectnessJudgment {
  correct: 0 | 1 | null;
  justification: string;
  attempts: number;
  issue?: string;
  usage: TokenUsage;
}

function toBit(value: z.infer<typeof CorrectnessReplySchema>['correct']): 0 | 1 {
  return value === 1 || value === true || value === '1' || value === 'true' ? 1 : 0;
}

/**
 * One 0/1 judgment of the final answer against the gold answer, ignoring style, as the reference's correctness judge
 * does.
 */
export async function judgeCorrectness(
  judge: ModelProvider,
  problem: NormalizedProblem,
  response: string,
  options: { temperature?: number; parseRetries?: number; signal?: AbortSignal } = {},
): Promise<CorrectnessJudgment> {
  const prompt = renderPrompt('correctnessJudgeUser', {
    question: problem.question,
    options: pythonRepr(problem.options),
    answer: String(problem.answer),
    // The final answer is the model's (in a live session, shaped by the participant): data, never instructions.
    response: encloseUntrusted('RESPONSE', response).block,
  });
  const result = await callForJson(
    judge,
    {
      messages: [
        { role: 'system', content: renderPrompt('correctnessJudgeSystem') },
        { role: 'user', content: prompt },
      ],
      purpose: 'correctness_judge',
      temperature: options.temperature ?? CORRECTNESS_TEMPERATURE,
      ...(options.signal ? { signal: options.signal } : {}),
      hint: { answer: problem.answer, options: problem.options, response },
    },
    CorrectnessReplySchema,
    options.parseRetries ?? 2,
  );

  if (result.value === null) {
    // The reference's fallback for an unparseable reply: correct iff the text says "is correct".
    const correct = result.raw.toLowerCase().includes('is correct') ? 1 : 0;
    return {
      correct,
      justification: result.raw.slice(0, 500),
      attempts: result.attempts,
      usage: result.usage,
      issue: `unparseable reply; reference text fallback used: ${result.issues.join(' | ')}`,
    };
  }
  const issue = result.issues.length > 0 ? result.issues.join(' | ') : undefined;
  return {
    correct: toBit(result.value.correct),
    justification: result.value.justification,
    attempts: result.attempts,
    usage: result.usage,
    ...(issue ? { issue } : {}),
  };
}
