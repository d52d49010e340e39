import { z } from 'zod';

/**
 * Declared models (config/models.json, validated at start-up). A model is referred to by `name` everywhere
 * (CLI flags, studies, results); `provider` says how it is reached.
 */
export const PROVIDER_KINDS = ['scripted', 'openai-compatible', 'openai', 'anthropic', 'google'] as const;
export const ProviderKindSchema = z.enum(PROVIDER_KINDS);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

export const ModelParametersSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
});
export type ModelParameters = z.infer<typeof ModelParametersSchema>;

export const ModelConfigSchema = z
  .strictObject({
    /** How people and files refer to this model, e.g. "gpt-4o-judge" or "local-qwen". */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-" only'),
    provider: ProviderKindSchema,
    /** The provider's model id, e.g. "gpt-4o", "claude-sonnet-4-5", "qwen2.5:7b". Ignored by `scripted`. */
    model: z.string().min(1),
    /** Required for openai-compatible: the server's base URL, e.g. http://localhost:8000/v1. Optional for the others. */
    baseUrl: z.url().optional(),
    /** Name of the environment variable holding the API key (never the key itself). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
      .optional(),
    /** Default sampling parameters; a call's own parameters (e.g. the judge's temperature) take precedence. */
    parameters: ModelParametersSchema.default({}),
    /** USD per 1M tokens, for cost accounting and spend caps. */
    pricePerMillion: z.strictObject({ input: z.number().min(0), output: z.number().min(0) }).optional(),
    /** Per-call timeout in ms. */
    timeoutMs: z.number().int().min(100).default(120_000),
    /** Retries after the first attempt, for 429, 5xx, timeouts, connection errors and empty output. */
    maxRetries: z.number().int().min(0).max(20).default(4),
    /** First backoff delay in ms; doubles each retry, with jitter; a 429's Retry-After wins when longer. */
    retryBaseDelayMs: z.number().int().min(0).default(1_000),
    /** At most this many calls to this model at once. */
    maxConcurrency: z.number().int().min(1).max(1024).default(16),
    /** Stop calling this model (error 'spend_cap') once its accumulated cost in this process reaches this many USD. */
    spendCapUsd: z.number().min(0).optional(),
    /** Reuse identical calls' answers (same messages and parameters) within a process, as the reference does. */
    cache: z.boolean().default(false),
  })
  .superRefine((m, ctx) => {
    if (m.provider === 'openai-compatible' && !m.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'an openai-compatible model needs baseUrl' });
    }
  });
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const ModelsFileSchema = z
  .strictObject({
    models: z.array(ModelConfigSchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.models.forEach((m, i) => {
      if (seen.has(m.name))
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'name'],
          message: `model name "${m.name}" is declared twice`,
        });
      seen.add(m.name);
    });
  });
export type ModelsFile = z.infer<typeof ModelsFileSchema>;
