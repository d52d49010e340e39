import { z } from 'zod';
import type { NormalizedProblem } from '../../shared/schemas/problem.ts';
import type { ModelProvider, TokenUsage } from '../models/model-provider.ts';
import { callForJson } from './json-call.ts';
import { ReferenceSkipError, referenceCorrectnessReply } from './reference-replies.ts';
import { renderPrompt, type PromptSet } from './prompt-library.ts';
import { pythonRepr, pythonStr } from './python-repr.ts';
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
 * The correctness judge's two messages. `responseBlock` is the final answer already enclosed (`encloseUntrusted`);
 * `prefdisco prompts show` passes a marked placeholder, so it prints what a run sends.
 */
export function correctnessJudgeMessages(
  problem: NormalizedProblem,
  responseBlock: string,
  prompts?: PromptSet,
): [{ role: 'system'; content: string }, { role: 'user'; content: string }] {
  const prompt = renderPrompt(
    'correctnessJudgeUser',
    {
      question: problem.question,
      // The options dict as the reference prints it: raw values (`{'A': 5}`) where the source row has them.
      options: problem.optionsRepr ?? pythonRepr(problem.options),
      // The reference's f-string prints the gold answer with Python's str(): 1e-05, not 0.00001.
      answer: pythonStr(problem.answer),
      // The final answer is the model's (in a live session, shaped by the participant): data, never instructions.
      response: responseBlock,
    },
    prompts,
  );
  return [
    { role: 'system', content: renderPrompt('correctnessJudgeSystem', {}, prompts) },
    { role: 'user', content: prompt },
  ];
}

/**
 * One 0/1 judgment of the final answer against the gold answer, ignoring style, as the reference's correctness judge
 * does.
 */
export async function judgeCorrectness(
  judge: ModelProvider,
  problem: NormalizedProblem,
  response: string,
  options: {
    temperature?: number;
    parseRetries?: number;
    signal?: AbortSignal;
    /** `--reference-quirks`: temperature 0.7, one call, the reply read as the reference reads it. */
    reference?: boolean;
    /** A prompt pack's judge prompts; ours when absent. */
    prompts?: PromptSet;
  } = {},
): Promise<CorrectnessJudgment> {
  const request = {
    messages: correctnessJudgeMessages(problem, encloseUntrusted('RESPONSE', response).block, options.prompts),
    purpose: 'correctness_judge' as const,
    temperature:
      options.temperature ?? (options.reference ? REFERENCE_CORRECTNESS_TEMPERATURE : CORRECTNESS_TEMPERATURE),
    ...(options.signal ? { signal: options.signal } : {}),
    hint: { answer: problem.answer, options: problem.options, response },
  };
  if (options.reference) {
    const one = await callForJson(judge, request, z.unknown(), 0);
    const read = referenceCorrectnessReply(one.raw);
    if (!read.ok) throw new ReferenceSkipError(`correctness: ${read.reason}`);
    return {
      correct: read.correct,
      justification: read.justification,
      attempts: one.attempts,
      usage: one.usage,
      ...(read.note ? { issue: `${read.note} (reference behaviour)` } : {}),
    };
  }
  const result = await callForJson(judge, request, CorrectnessReplySchema, options.parseRetries ?? 2);

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
