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

const FILES = Object.fromEntries(
  (Object.keys(GENERATION_PROMPT_FILES) as GenerationPromptName[]).map((name) => [
    name,
    readPromptFile(PROMPTS_DIR, GENERATION_PROMPT_FILES[name]),
  ]),
) as Record<GenerationPromptName, { text: string; sha256: string }>;
const TEXTS = Object.fromEntries(Object.entries(FILES).map(([name, f]) => [name, f.text])) as Record<
  GenerationPromptName,
  string
>;

/** SHA-256 of each prompt file's text, keyed by file name, recorded in the metadata line of a generated file. */
export function generationPromptHashes(): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(GENERATION_PROMPT_FILES) as GenerationPromptName[]).map((name) => [
      GENERATION_PROMPT_FILES[name],
      FILES[name].sha256,
    ]),
  );
}

/** Fills `{name}` placeholders (the engine's rules: `{{`/`}}` literal, a missing value throws). */
export function renderGenerationPrompt(
  name: GenerationPromptName,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return fillPlaceholders(TEXTS[name], GENERATION_PROMPT_FILES[name], values);
}

/** Every generation call: the fixed system prompt, then one user message (as the reference's generator does). */
export function generationMessages(name: GenerationPromptName, values: Readonly<Record<string, string | number>>) {
  return [
    { role: 'system' as const, content: TEXTS.system },
    { role: 'user' as const, content: renderGenerationPrompt(name, values) },
  ];
}
