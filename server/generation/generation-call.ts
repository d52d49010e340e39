import type { z } from 'zod';
import { callForJson } from '../engine/json-call.ts';
import type { CallPurpose, ModelProvider, ScriptHint } from '../models/model-provider.ts';
import { StepFailure, type GenerationStage } from './generation-errors.ts';
import { generationMessages, type GenerationPromptName, type GenerationPromptSet } from './generation-prompts.ts';

/** What every generation step needs to call the model. */
export interface GenerationContext {
  provider: ModelProvider;
  /** Tries per step whose output fails validation. */
  maxTries: number;
  temperature: number;
  signal: AbortSignal;
  /** `--prompts DIR`: a prompt pack's generation prompts; ours when absent. */
  prompts?: GenerationPromptSet;
}

export interface JsonStep<S extends z.ZodType> {
  stage: GenerationStage;
  purpose: CallPurpose;
  prompt: GenerationPromptName;
  values: Readonly<Record<string, string | number>>;
  schema: S;
  /** Facts from the prompt, in structured form, for the offline scripted provider only. */
  hint: ScriptHint;
}

/**
 * One generation call in JSON mode, parsed leniently and validated by the step's schema; an output that fails is sent
 * back with the reason and asked for again, up to `maxTries` in all, then the step fails with every reason.
 * Transport errors (ModelCallError: spend cap, cancellation, a provider down after its own retries) propagate.
 */
export async function generateJson<S extends z.ZodType>(
  ctx: GenerationContext,
  step: JsonStep<S>,
): Promise<z.infer<S>> {
  const result = await callForJson(
    ctx.provider,
    {
      messages: generationMessages(step.prompt, step.values, ctx.prompts),
      purpose: step.purpose,
      temperature: ctx.temperature,
      signal: ctx.signal,
      hint: step.hint,
    },
    step.schema,
    ctx.maxTries - 1,
  );
  if (result.value === null) {
    throw new StepFailure(
      step.stage,
      `no valid ${step.stage.replace(/_/g, ' ')} output after ${result.attempts} tries`,
      result.issues,
    );
  }
  return result.value;
}
