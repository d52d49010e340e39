import { Option } from 'commander';
import { OUR_PROMPTS, type PromptSet } from '../engine/prompt-library.ts';
import { loadPromptPack, packRoles, PromptPackError } from '../engine/prompt-pack.ts';
import { PROMPT_ROLE_NAMES } from '../engine/prompt-pack-roles.ts';
import { loadGenerationPromptPack } from '../generation/generation-prompt-pack.ts';
import { GENERATION_PROMPT_ROLE_NAMES } from '../generation/generation-prompt-roles.ts';
import { OUR_GENERATION_PROMPTS, type GenerationPromptSet } from '../generation/generation-prompts.ts';
import type { CliIo } from './cli-io.ts';

/** `--prompts DIR`, shared by the commands that render the engine's prompts. */
export function promptsOption(): Option {
  return new Option(
    '--prompts <DIR>',
    'a prompt pack: a folder with prompts.json naming a file per role; roles it leaves out use ours ' +
      '(docs/prompt-packs.md)',
  );
}

/**
 * The prompt set for `--prompts`: ours without it; the pack, checked in full, with it. A pack that cannot be used is
 * reported problem by problem and null is returned, so the command stops before anything runs. A pack that covers
 * only some roles is announced on stderr with the roles that stay ours, so nobody takes a partial pack for a whole one.
 */
export function readPromptsOption(dir: string | undefined, command: string, io: CliIo): PromptSet | null {
  if (dir === undefined) return OUR_PROMPTS;
  let set: PromptSet;
  try {
    set = loadPromptPack(dir);
  } catch (error) {
    if (!(error instanceof PromptPackError)) throw error;
    for (const problem of error.problems) io.err(problem);
    io.err(`prefdisco ${command}: the prompt pack in ${error.dir} cannot be used (${error.problems.length} problems)`);
    return null;
  }
  const from = packRoles(set);
  const ours = PROMPT_ROLE_NAMES.filter((r) => !from.includes(r));
  io.err(
    `prompt pack ${set.pack?.name ?? ''} (sha256 ${set.pack?.sha256.slice(0, 12) ?? ''}…): ${from.length} of ` +
      `${PROMPT_ROLE_NAMES.length} roles${ours.length > 0 ? `; ours for ${ours.join(', ')}` : ''}`,
  );
  return set;
}

/** `generate --prompts`: the generator's roles of the pack, checked and announced as for `run`. */
export function readGenerationPromptsOption(dir: string | undefined, io: CliIo): GenerationPromptSet | null {
  if (dir === undefined) return OUR_GENERATION_PROMPTS;
  let loaded: { set: GenerationPromptSet; roles: string[] };
  try {
    loaded = loadGenerationPromptPack(dir);
  } catch (error) {
    if (!(error instanceof PromptPackError)) throw error;
    for (const problem of error.problems) io.err(problem);
    io.err(`prefdisco generate: the prompt pack in ${error.dir} cannot be used (${error.problems.length} problems)`);
    return null;
  }
  const ours = GENERATION_PROMPT_ROLE_NAMES.filter((r) => !loaded.roles.includes(r));
  io.err(
    `prompt pack ${loaded.set.pack?.name ?? ''} (sha256 ${loaded.set.pack?.sha256.slice(0, 12) ?? ''}…): ` +
      `${loaded.roles.length} of ${GENERATION_PROMPT_ROLE_NAMES.length} generation roles` +
      `${ours.length > 0 ? `; ours for ${ours.join(', ')}` : ''}`,
  );
  return loaded.set;
}
