import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const TEXTS = Object.fromEntries(
  (Object.keys(GENERATION_PROMPT_FILES) as GenerationPromptName[]).map((name) => [
    name, readFileSync(join(PROMPTS_DIR, GENERATION_PROMPT_FILES[name]), 'utf8').replace(/\n+$/, ''),
  ]),
) as Record<GenerationPromptName, string>;

/** SHA-256 of each prompt file's text, keyed by file name, recorded in the metadata line of a generated file. */
export function generationPromptHashes(): Record<string, string> {
  return Object.fromEntries((Object.keys(GENERATION_PROMPT_FILES) as GenerationPromptName[]).map((name) => [
    GENERATION_PROMPT_FILES[name], createHash('sha256').update(TEXTS[name]).digest('hex'),
  ]));
}

/** Fills `{name}` placeholders (`{{`/`}}` are literal braces); a missing value throws so no prompt goes out with a hole. */
export function renderGenerationPrompt(name: GenerationPromptName, values: Readonly<Record<string, string | number>> = {}): string {
  return TEXTS[name].replace(/\{\{|\}\}|\{([a-z_]+)\}/g, (match, key: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = key === undefined ? undefined : values[key];
    if (value === undefined) throw new Error(`prompt ${GENERATION_PROMPT_FILES[name]}: no value for {${key}}`);
    return String(value);
  });
}

/** Every generation call: the fixed system prompt, then one user message (as the reference's generator does). */
export function generationMessages(name: GenerationPromptName, values: Readonly<Record<string, string | number>>) {
  return [
    { role: 'system' as const, content: TEXTS.system },
    { role: 'user' as const, content: renderGenerationPrompt(name, values) },
  ];
}
