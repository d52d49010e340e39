import { describe, expect, it } from 'vitest';
import { ModelConfigSchema, type ModelConfig } from '../../shared/schemas/models.ts';
import { acceptsReasoningEffort, resolveSampling } from '../../server/models/sampling-defaults.ts';
import { reasoningProviderOptions, thinkingRefusesTemperature } from '../../server/models/http/reasoning-options.ts';

function config(over: Record<string, unknown> = {}): ModelConfig {
  return ModelConfigSchema.parse({
    name: 'm',
    provider: 'openai-compatible',
    model: 'qwen',
    baseUrl: 'http://localhost:1/v1',
    ...over,
  });
}

describe('role defaults', () => {
  it("gives the model under test the reference's llm_config and the evaluators its evaluator_llm_config", () => {
    const reasoner = config({ reasoning: true });
    expect(resolveSampling(reasoner, { purpose: 'assistant' })).toEqual({
      temperature: 0.7,
      maxTokens: 8192,
      reasoningEffort: 'low',
    });
    // The evaluators' temperatures are their calls' own (0.4 simulator, 0.1 rubric judge); the role adds the rest.
    expect(resolveSampling(reasoner, { purpose: 'simulated_user', temperature: 0.4 })).toEqual({
      temperature: 0.4,
      maxTokens: 4096,
      reasoningEffort: 'high',
    });
    for (const purpose of ['rubric_judge', 'correctness_judge', 'disclosure_labeler'] as const)
      expect(resolveSampling(reasoner, { purpose, temperature: 0.1 })).toEqual({
        temperature: 0.1,
        maxTokens: 4096,
        reasoningEffort: 'high',
      });
  });

  it('lets the models file override a role default, and the call override the models file', () => {
    const c = config({ reasoning: true, parameters: { temperature: 0.2, maxTokens: 1000, reasoningEffort: 'medium' } });
    expect(resolveSampling(c, { purpose: 'assistant' })).toEqual({
      temperature: 0.2,
      maxTokens: 1000,
      reasoningEffort: 'medium',
    });
    expect(resolveSampling(c, { purpose: 'rubric_judge', temperature: 0.1 })).toEqual({
      temperature: 0.1,
      maxTokens: 1000,
      reasoningEffort: 'medium',
    });
    expect(resolveSampling(c, { purpose: 'assistant', maxTokens: 50 }).maxTokens).toBe(50);
    expect(resolveSampling(config({ parameters: { topP: 0.9, seed: 7 } }), { purpose: 'assistant' })).toEqual({
      temperature: 0.7,
      maxTokens: 8192,
      topP: 0.9,
      seed: 7,
    });
  });

  it('gives generation calls no role defaults', () => {
    expect(resolveSampling(config({ reasoning: true }), { purpose: 'rubric_generation', temperature: 0.7 })).toEqual({
      temperature: 0.7,
    });
  });
});

describe('which models get a reasoning effort', () => {
  it("follows the reference's rule by model id unless the model says", () => {
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'o3-mini' }))).toBe(true);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'o1' }))).toBe(true);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'o4-mini-2025-04-16' }))).toBe(true);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'o1-mini' }))).toBe(false);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'gpt-4o' }))).toBe(false);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'gpt-5' }))).toBe(false);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'gpt-5', reasoning: true }))).toBe(true);
    expect(acceptsReasoningEffort(config({ provider: 'openai', model: 'o3', reasoning: false }))).toBe(false);
    expect(acceptsReasoningEffort(config({ parameters: { reasoningEffort: 'low' } }))).toBe(true);
    expect(resolveSampling(config({ model: 'gpt-4o' }), { purpose: 'assistant' })).not.toHaveProperty(
      'reasoningEffort',
    );
  });

  it('refuses a model configured with an effort it says it does not accept', () => {
    const parsed = ModelConfigSchema.safeParse({
      name: 'm',
      provider: 'openai',
      model: 'gpt-4o',
      reasoning: false,
      parameters: { reasoningEffort: 'high' },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['parameters', 'reasoningEffort']);
    expect(parsed.error?.issues[0]?.message).toMatch(/reasoning is false/);
    expect(
      ModelConfigSchema.safeParse({
        name: 'm',
        provider: 'openai',
        model: 'o3',
        parameters: { reasoningEffort: 'max' },
      }).success,
    ).toBe(false);
  });
});

describe('reasoning effort per provider', () => {
  it('maps an effort to each AI SDK provider', () => {
    expect(reasoningProviderOptions(config({ provider: 'openai', model: 'o3' }), 'low')).toEqual({
      openai: { reasoningEffort: 'low', forceReasoning: true },
    });
    expect(
      reasoningProviderOptions(
        config({ provider: 'azure', model: 'my-deployment', baseUrl: 'https://r.openai.azure.com/openai' }),
        'high',
      ),
    ).toEqual({ openai: { reasoningEffort: 'high', forceReasoning: true } });
    expect(reasoningProviderOptions(config({ provider: 'anthropic', model: 'claude-sonnet-4-5' }), 'high')).toEqual({
      anthropic: { thinking: { type: 'enabled', budgetTokens: 8192 } },
    });
    expect(reasoningProviderOptions(config({ provider: 'anthropic', model: 'claude-sonnet-4-5' }), 'none')).toEqual({
      anthropic: { thinking: { type: 'disabled' } },
    });
    expect(reasoningProviderOptions(config({ provider: 'google', model: 'gemini-2.5-flash' }), 'low')).toEqual({
      google: { thinkingConfig: { thinkingBudget: 1024 } },
    });
    expect(reasoningProviderOptions(config({ provider: 'google', model: 'gemini-2.5-pro' }), 'none')).toEqual({
      google: { thinkingConfig: { thinkingBudget: 0 } },
    });
    expect(reasoningProviderOptions(config({ provider: 'google', model: 'gemini-3-pro-preview' }), 'high')).toEqual({
      google: { thinkingConfig: { thinkingLevel: 'high' } },
    });
    const bedrock = { provider: 'bedrock', region: 'us-east-1', baseUrl: undefined };
    expect(
      reasoningProviderOptions(config({ ...bedrock, model: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }), 'medium'),
    ).toEqual({ bedrock: { reasoningConfig: { type: 'enabled', budgetTokens: 4096 } } });
    expect(reasoningProviderOptions(config({ ...bedrock, model: 'openai.gpt-oss-120b-1:0' }), 'high')).toEqual({
      bedrock: { reasoningConfig: { type: 'enabled', maxReasoningEffort: 'high' } },
    });
    // OpenAI's reasoning models and Anthropic's thinking take no temperature; Gemini and compatible servers do.
    expect(thinkingRefusesTemperature(config({ provider: 'openai', model: 'o3' }), 'low')).toBe(true);
    expect(thinkingRefusesTemperature(config({ provider: 'openai', model: 'o3' }), 'none')).toBe(false);
    expect(thinkingRefusesTemperature(config({ provider: 'anthropic', model: 'claude-sonnet-4-5' }), 'high')).toBe(
      true,
    );
    expect(thinkingRefusesTemperature(config({ provider: 'google', model: 'gemini-2.5-pro' }), 'high')).toBe(false);
    expect(thinkingRefusesTemperature(config(), 'high')).toBe(false);
    expect(thinkingRefusesTemperature(config({ provider: 'openai', model: 'gpt-4o' }), undefined)).toBe(false);
    // OpenAI-compatible servers get reasoning_effort in the body of the direct call instead.
    expect(reasoningProviderOptions(config(), 'low')).toBeUndefined();
    expect(reasoningProviderOptions(config({ provider: 'openai', model: 'o3' }), undefined)).toBeUndefined();
  });
});
