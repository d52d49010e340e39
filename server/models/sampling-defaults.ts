import type { ModelConfig, ReasoningEffort } from '../../shared/schemas/models.ts';
import type { CallPurpose, ModelRequest } from './model-provider.ts';

/** What a role asks of a model when neither the call nor the model's `parameters` say otherwise. */
export interface RoleSampling {
  temperature?: number;
  maxTokens?: number;
  reasoningEffort?: ReasoningEffort;
}

/**
 * The reference's evaluation defaults: the model under test runs with its `llm_config` (temperature 0.7, 8192 tokens,
 * low reasoning effort), the simulator and the judges with its `evaluator_llm_config` (4096 tokens, high effort).
 * The evaluators' temperatures are not here: each of their calls fixes its own (0.4 simulator, 0.1 rubric judge, the
 * correctness judge's and labeler's), as the reference's calls do. Generation calls (`prefdisco generate`) set their
 * temperature from the generation config and have no role defaults.
 */
const EVALUATOR: RoleSampling = { maxTokens: 4096, reasoningEffort: 'high' };
export const ROLE_SAMPLING: Readonly<Partial<Record<CallPurpose, RoleSampling>>> = {
  assistant: { temperature: 0.7, maxTokens: 8192, reasoningEffort: 'low' },
  simulated_user: EVALUATOR,
  rubric_judge: EVALUATOR,
  correctness_judge: EVALUATOR,
  disclosure_labeler: EVALUATOR,
};

/**
 * The reference sends `reasoning_effort` only to the models its loader routes to the reasoning agent (ids starting
 * with o1, o3 or o4), and not to o1-mini's plain calls; o1-mini rejects the field.
 */
const REFERENCE_REASONING_MODEL = /^(?:o1(?!-mini)|o3|o4)/;

/** Whether `config`'s model accepts a reasoning effort (ModelConfig.reasoning says how it is decided). */
export function acceptsReasoningEffort(config: ModelConfig): boolean {
  if (config.reasoning !== undefined) return config.reasoning;
  if (config.parameters.reasoningEffort !== undefined) return true;
  return REFERENCE_REASONING_MODEL.test(config.model);
}

export interface ResolvedSampling {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  /** Only for a model that accepts one. */
  reasoningEffort?: ReasoningEffort;
}

/**
 * One call's sampling settings. Precedence, lowest first: the role's default (ROLE_SAMPLING) < the model's
 * `parameters` in the models file < the call's own value (the judges' and the simulator's fixed temperatures).
 */
export function resolveSampling(
  config: ModelConfig,
  request: Pick<ModelRequest, 'purpose' | 'temperature' | 'maxTokens'>,
): ResolvedSampling {
  const role = ROLE_SAMPLING[request.purpose] ?? {};
  const p = config.parameters;
  const temperature = request.temperature ?? p.temperature ?? role.temperature;
  const maxTokens = request.maxTokens ?? p.maxTokens ?? role.maxTokens;
  const reasoningEffort = acceptsReasoningEffort(config) ? (p.reasoningEffort ?? role.reasoningEffort) : undefined;
  return {
    ...(temperature !== undefined ? { temperature } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(p.topP !== undefined ? { topP: p.topP } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
    ...(reasoningEffort !== undefined ? { reasoningEffort } : {}),
  };
}
