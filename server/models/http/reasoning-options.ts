import type { generateText } from 'ai';
import type { ModelConfig, ReasoningEffort } from '../../../shared/schemas/models.ts';

/** The AI SDK's per-provider call options, named without importing @ai-sdk/provider-utils directly. */
export type SdkProviderOptions = NonNullable<Parameters<typeof generateText>[0]['providerOptions']>;

/**
 * Thinking budgets, in tokens, for the providers that take a budget rather than an effort (Anthropic models, directly
 * or on Bedrock, and Gemini 2.x). Anthropic's smallest budget is 1024; the AI SDK adds the budget to the call's
 * max_tokens, so the answer keeps its own token limit.
 */
export const THINKING_BUDGET: Readonly<Record<Exclude<ReasoningEffort, 'none'>, number>> = {
  minimal: 1024,
  low: 1024,
  medium: 4096,
  high: 8192,
};

/** Gemini models before 3 take `thinkingBudget`; later ones take `thinkingLevel`. */
const GEMINI_BUDGET_MODEL = /(?:^|\/)gemini-(?:1|2)\./;
const ANTHROPIC_ON_BEDROCK = /anthropic\.|claude/;

/**
 * Whether a call with `effort` must go without a temperature: OpenAI's reasoning models and Anthropic's extended
 * thinking refuse one (the reference's reasoning agent sends none either). The AI SDK would drop it too, but with a
 * console warning on every call.
 */
export function thinkingRefusesTemperature(config: ModelConfig, effort: ReasoningEffort | undefined): boolean {
  if (effort === undefined || effort === 'none') return false;
  switch (config.provider) {
    case 'openai':
    case 'azure':
    case 'anthropic':
      return true;
    case 'bedrock':
      return ANTHROPIC_ON_BEDROCK.test(config.model);
    default:
      return false;
  }
}

/**
 * The AI SDK provider options that carry `effort` for `config`'s provider (OpenAI-compatible servers are called
 * directly and get `reasoning_effort` in the body instead). Undefined when no effort is to be sent.
 */
export function reasoningProviderOptions(
  config: ModelConfig,
  effort: ReasoningEffort | undefined,
): SdkProviderOptions | undefined {
  if (effort === undefined) return undefined;
  switch (config.provider) {
    case 'openai':
    case 'azure':
      // Azure's chat model reads the `openai` key too. forceReasoning: a model that takes an effort is a reasoning
      // model even when its id (an Azure deployment name) does not say so, so the SDK leaves out temperature.
      return { openai: { reasoningEffort: effort, forceReasoning: true } };
    case 'anthropic':
      return {
        anthropic: {
          thinking:
            effort === 'none' ? { type: 'disabled' } : { type: 'enabled', budgetTokens: THINKING_BUDGET[effort] },
        },
      };
    case 'google':
      return {
        google: {
          thinkingConfig: GEMINI_BUDGET_MODEL.test(config.model)
            ? { thinkingBudget: effort === 'none' ? 0 : THINKING_BUDGET[effort] }
            : { thinkingLevel: effort === 'none' ? 'minimal' : effort },
        },
      };
    case 'bedrock':
      if (effort === 'none') return { bedrock: { reasoningConfig: { type: 'disabled' } } };
      return {
        bedrock: {
          reasoningConfig: ANTHROPIC_ON_BEDROCK.test(config.model)
            ? { type: 'enabled', budgetTokens: THINKING_BUDGET[effort] }
            : { type: 'enabled', maxReasoningEffort: effort === 'minimal' ? 'low' : effort },
        },
      };
    case 'openai-compatible':
    case 'scripted':
      return undefined;
  }
}
