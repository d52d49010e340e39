import { fileURLToPath } from 'node:url';
import { fillPlaceholders, readPromptFile } from '../engine/prompt-library.ts';

const PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url));

/** The generation prompt versions in use; a new wording is a new file (prompts/README.md). */
export const GENERATION_PROMPT_FILES = {
  system: 'generation-system.v1.txt',
  personaGeneration: 'persona-generation.v1.txt',
  personaCoherence: 'persona-coherence.v1.txt',
  generalDimensions: 'general-dimensions.v1.txt',
  dimensionProposal: 'dimension-proposal.v1.txt',
  dimensionDedup: 'dimension-dedup.v1.txt',
  preferenceInstantiation: 'preference-instantiation.v1.txt',
  rubricCriteria: 'rubric-criteria.v1.txt',
} as const;

export type GenerationPromptName = keyof typeof GENERATION_PROMPT_FILES;

/** The generator's prompts: ours, or a prompt pack's for the roles it names (loadGenerationPromptPack). */
export interface GenerationPromptSet {
  /** The pack's name and hash (docs/prompt-packs.md); null for our own prompts. */
  readonly pack: { readonly name: string; readonly sha256: string } | null;
  /** Each prompt's file (`<pack name>/<file>` for a pack's), text and SHA-256. */
  readonly templates: Readonly<Record<GenerationPromptName, { file: string; text: string; sha256: string }>>;
}

export const OUR_GENERATION_PROMPTS: GenerationPromptSet = {
  pack: null,
  templates: Object.fromEntries(
    (Object.keys(GENERATION_PROMPT_FILES) as GenerationPromptName[]).map((name) => [
      name,
      { file: GENERATION_PROMPT_FILES[name], ...readPromptFile(PROMPTS_DIR, GENERATION_PROMPT_FILES[name]) },
    ]),
  ) as Record<GenerationPromptName, { file: string; text: string; sha256: string }>,
};

/** SHA-256 of each prompt file's text, keyed by file name, recorded in the metadata line of a generated file. */
export function generationPromptHashes(set: GenerationPromptSet = OUR_GENERATION_PROMPTS): Record<string, string> {
  return Object.fromEntries(Object.values(set.templates).map((t) => [t.file, t.sha256]));
}

/** Fills `{name}` placeholders (the engine's rules: `{{`/`}}` literal, a missing value throws). */
export function renderGenerationPrompt(
  name: GenerationPromptName,
  values: Readonly<Record<string, string | number>> = {},
  set: GenerationPromptSet = OUR_GENERATION_PROMPTS,
): string {
  return fillPlaceholders(set.templates[name].text, set.templates[name].file, values);
}

/** Every generation call: the fixed system prompt, then one user message (as the reference's generator does). */
export function generationMessages(
  name: GenerationPromptName,
  values: Readonly<Record<string, string | number>>,
  set: GenerationPromptSet = OUR_GENERATION_PROMPTS,
) {
  return [
    { role: 'system' as const, content: set.templates.system.text },
    { role: 'user' as const, content: renderGenerationPrompt(name, values, set) },
  ];
}
