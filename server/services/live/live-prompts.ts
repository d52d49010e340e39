import { AppError, describeError } from '../../../shared/errors.ts';
import { OUR_PROMPTS, type PromptSet } from '../../engine/prompt-library.ts';
import type { Logger } from '../logger.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';

/**
 * What a live episode's stored spec records of its prompts when its study uses a pack: the pack's folder and hash at
 * the start. Each episode keeps the prompts it started with: a study's pack may change between episodes (settings
 * change only while the study is a draft or paused), and a resumed episode must not go on with other prompts.
 */
export interface PackPin {
  promptPack: string;
  promptPackSha256: string;
}

/** Why a pack's load failed, with every problem (each names its file). */
function why(error: unknown): string {
  if (error instanceof AppError && error.issues && error.issues.length > 0)
    return `${error.message}: ${error.issues.map((i) => i.message).join('; ')}`;
  return describeError(error);
}

/**
 * The prompts a new live episode starts with: the study's pack, loaded now, or ours; and the pin its spec stores. A
 * pack that cannot be loaded any more (changed on the server's disk since the settings were saved) refuses the start
 * with a retryable `unavailable`, and the server's log says why: the episode never runs with prompts nobody chose.
 */
export function startPrompts(
  settings: Pick<LivePlaySettings, 'promptPack'>,
  load: LiveDeps['prompts'],
  log: Logger,
): { prompts: PromptSet; pin: PackPin | null } {
  const folder = settings.promptPack ?? '';
  if (folder === '') return { prompts: OUR_PROMPTS, pin: null };
  try {
    if (!load) throw new Error('this server offers no prompt packs');
    const prompts = load(folder);
    return { prompts, pin: { promptPack: folder, promptPackSha256: prompts.pack?.sha256 ?? '' } };
  } catch (error) {
    log.error(
      { promptPack: folder, reason: why(error) },
      "the study's prompt pack cannot be loaded; no episode starts",
    );
    throw new AppError('unavailable', "this study's prompts cannot be loaded right now; try again later", {
      cause: error,
    });
  }
}

/**
 * The prompts a stored live episode started with, loaded again for its resume or its simulated twin: ours when its
 * spec pins no pack, else the pinned pack if it still has the pinned hash. Otherwise why not (the pack is gone, broken
 * or changed): the caller ends the episode (or skips the twin) rather than mix two prompt sets in one episode.
 */
export function pinnedPrompts(
  spec: Record<string, unknown>,
  load: LiveDeps['prompts'],
): PromptSet | { problem: string } {
  const folder = spec['promptPack'];
  if (typeof folder !== 'string' || folder === '') return OUR_PROMPTS;
  let prompts: PromptSet;
  try {
    if (!load) throw new Error('this server offers no prompt packs');
    prompts = load(folder);
  } catch (error) {
    return { problem: `prompt pack "${folder}" cannot be loaded: ${why(error)}` };
  }
  const pinned = spec['promptPackSha256'];
  if (prompts.pack?.sha256 !== pinned)
    return {
      problem: `prompt pack "${folder}" changed since the episode started (sha256 ${String(pinned)}, now ${prompts.pack?.sha256 ?? 'none'})`,
    };
  return prompts;
}
