import { z } from 'zod';

/**
 * Declared models (config/models.json, validated at start-up). A model is referred to by `name` everywhere
 * (CLI flags, studies, results); `provider` says how it is reached.
 */
export const PROVIDER_KINDS = [
  'scripted',
  'openai-compatible',
  'openai',
  'anthropic',
  'google',
  'azure',
  'bedrock',
] as const;
export const ProviderKindSchema = z.enum(PROVIDER_KINDS);
export type ProviderKind = z.infer<typeof ProviderKindSchema>;

/**
 * How hard a reasoning model thinks. Sent as OpenAI's `reasoning_effort` (OpenAI, Azure, OpenAI-compatible servers,
 * OpenAI models on Bedrock), as a thinking budget for Anthropic models and Gemini 2.x, as a thinking level for later
 * Gemini models (docs/engine.md, "Sampling per role").
 */
export const REASONING_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high'] as const;
export const ReasoningEffortSchema = z.enum(REASONING_EFFORTS);
export type ReasoningEffort = z.infer<typeof ReasoningEffortSchema>;

/** A model's own sampling settings; each one set here wins over the role's default (docs/engine.md). */
export const ModelParametersSchema = z.strictObject({
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  /** Every call's reasoning effort, instead of the role's (low for the model under test, high for evaluators). */
  reasoningEffort: ReasoningEffortSchema.optional(),
});
export type ModelParameters = z.infer<typeof ModelParametersSchema>;

export const ModelConfigSchema = z
  .strictObject({
    /** How people and files refer to this model, e.g. "gpt-4o-judge" or "local-qwen". */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits, ".", "_", ":" and "-" only'),
    provider: ProviderKindSchema,
    /** The provider's model id, e.g. "gpt-4o", "claude-sonnet-4-5", "qwen2.5:7b". Ignored by `scripted`. */
    model: z.string().min(1),
    /**
     * Required for openai-compatible (the server's base URL, e.g. http://localhost:8000/v1) and azure (the resource's
     * endpoint, https://RESOURCE.openai.azure.com/openai). Optional for the others (a proxy or gateway).
     */
    baseUrl: z.url().optional(),
    /**
     * azure only: an API version such as "2024-10-21" selects the deployment-based API
     * (…/deployments/DEPLOYMENT/chat/completions?api-version=V); without it the v1 API is used.
     */
    apiVersion: z
      .string()
      .regex(/^[\w.-]+$/, 'an API version such as 2024-10-21')
      .optional(),
    /** bedrock only: the AWS region, e.g. us-east-1 (or give baseUrl). */
    region: z
      .string()
      .regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'an AWS region such as us-east-1')
      .optional(),
    /** Name of the environment variable holding the API key (never the key itself). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
      .optional(),
    /**
     * Sampling parameters. Each one set wins over the role's default; a call's own fixed value (the judges' and the
     * simulator's temperatures) wins over both.
     */
    parameters: ModelParametersSchema.default({}),
    /**
     * Whether the model accepts a reasoning effort. Omitted: true when `parameters.reasoningEffort` is set, otherwise
     * the reference's rule by model id (OpenAI's o1, o3 and o4 families, o1-mini excepted). A model that does not
     * accept one is never sent one: OpenAI answers a non-reasoning model's `reasoning_effort` with a 400.
     */
    reasoning: z.boolean().optional(),
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
    if (m.provider === 'azure' && !m.baseUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'an azure model needs baseUrl, the resource endpoint https://RESOURCE.openai.azure.com/openai',
      });
    }
    if (m.provider === 'bedrock' && !m.region && !m.baseUrl) {
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'a bedrock model needs region (e.g. us-east-1)' });
    }
    if (m.apiVersion !== undefined && m.provider !== 'azure') {
      ctx.addIssue({ code: 'custom', path: ['apiVersion'], message: 'apiVersion applies to azure models only' });
    }
    if (m.reasoning === false && m.parameters.reasoningEffort !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['parameters', 'reasoningEffort'],
        message: 'reasoningEffort is set but reasoning is false: remove one of them',
      });
    }
    if (m.region !== undefined && m.provider !== 'bedrock') {
      ctx.addIssue({ code: 'custom', path: ['region'], message: 'region applies to bedrock models only' });
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
