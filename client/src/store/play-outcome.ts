import type { PlaySnapshot } from '../../../shared/protocol/live.ts';
import type { EpisodeInfo } from './session-memory.ts';

/** How an actor's episode is remembered and how its end is told to them. */

export const infoOf = (s: PlaySnapshot): EpisodeInfo => ({
  episodeId: s.episodeId,
  persona: s.persona,
  preferences: s.preferences,
  rubric: s.rubric,
  maxTurns: s.maxTurns,
  idleTimeoutSeconds: s.idleTimeoutSeconds,
  instructions: s.instructions,
});

export const RATED = 'Thank you — your conversation and your rating are saved.';

export const NO_MORE_TASKS = 'There are no more tasks for you in this study.';

export function failureMessage(code: string | undefined): string {
  if (code === 'idle_timeout')
    return 'The session ended because no reply came in time. What you wrote so far is saved.';
  return `The session ended early because of a technical problem (${code ?? 'unknown'}). What you wrote so far is saved.`;
}
