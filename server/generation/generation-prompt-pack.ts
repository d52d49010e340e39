import { readPromptPack } from '../engine/prompt-pack.ts';
import { GENERATION_PROMPT_ROLE_NAMES, GENERATION_PROMPT_ROLES } from './generation-prompt-roles.ts';
import { OUR_GENERATION_PROMPTS, type GenerationPromptName, type GenerationPromptSet } from './generation-prompts.ts';

/**
 * The generator's prompts from a prompt pack (docs/prompt-packs.md), checked in full as for `run` (PromptPackError):
 * the generation roles it names replace ours, the others keep ours. Returns the set and the roles taken from the pack.
 */
export function loadGenerationPromptPack(folder: string): { set: GenerationPromptSet; roles: string[] } {
  const pack = readPromptPack(folder);
  const templates = { ...OUR_GENERATION_PROMPTS.templates } as Record<
    GenerationPromptName,
    { file: string; text: string; sha256: string }
  >;
  const roles: string[] = [];
  for (const role of GENERATION_PROMPT_ROLE_NAMES) {
    const f = pack.files.get(role);
    if (!f) continue;
    templates[GENERATION_PROMPT_ROLES[role].prompt] = f;
    roles.push(role);
  }
  return { set: { pack: { name: pack.name, sha256: pack.sha256 }, templates }, roles };
}
