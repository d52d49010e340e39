import type { GenerationPromptName } from './generation-prompts.ts';

/**
 * The `generate` roles a prompt pack may fill (docs/prompt-packs.md), beside the engine's (engine/prompt-pack-roles.ts):
 * the prompt each replaces and the placeholders the generator fills for it. Required are only those without which a
 * step would have nothing to work on.
 */
export interface GenerationPromptRole {
  prompt: GenerationPromptName;
  placeholders: readonly string[];
  required: readonly string[];
}

export const GENERATION_PROMPT_ROLES = {
  'generation-system': { prompt: 'system', placeholders: [], required: [] },
  'persona-generation': {
    prompt: 'personaGeneration',
    placeholders: ['diversity_guidance', 'recent_personas', 'avoid_names', 'avoid_locations'],
    required: [],
  },
  'persona-coherence': { prompt: 'personaCoherence', placeholders: ['persona_json'], required: ['persona_json'] },
  'general-dimensions': {
    prompt: 'generalDimensions',
    placeholders: ['count', 'dataset', 'example_count', 'examples'],
    required: [],
  },
  'dimension-proposal': {
    prompt: 'dimensionProposal',
    placeholders: [
      'persona_profile',
      'problem',
      'problem_context',
      'problem_context_upper',
      'count',
      'expertise_min',
      'expertise_max',
      'context_note',
    ],
    required: [],
  },
  'dimension-dedup': {
    prompt: 'dimensionDedup',
    placeholders: ['new_dimensions', 'existing_dimensions'],
    required: ['new_dimensions'],
  },
  'preference-instantiation': {
    prompt: 'preferenceInstantiation',
    placeholders: [
      'persona_summary',
      'problem',
      'problem_context',
      'problem_context_upper',
      'dimensions',
      'earlier_preferences',
    ],
    required: [],
  },
  'rubric-criteria': {
    prompt: 'rubricCriteria',
    placeholders: ['problem_context', 'problem', 'answer', 'persona_brief', 'group_instructions', 'preferences'],
    required: [],
  },
} as const satisfies Record<string, GenerationPromptRole>;

export type GenerationPromptRoleName = keyof typeof GENERATION_PROMPT_ROLES;

export const GENERATION_PROMPT_ROLE_NAMES = Object.keys(GENERATION_PROMPT_ROLES) as GenerationPromptRoleName[];
