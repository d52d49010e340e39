import type { PlaySnapshot } from '../../../shared/protocol/live.ts';
import { t } from '../i18n/index.ts';
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

/** The end of an episode the actor rated. */
export const ratedMessage = (): string => t('end.rated');

export const noMoreTasksMessage = (): string => t('end.noMoreTasks');

export function failureMessage(code: string | undefined): string {
  if (code === 'idle_timeout') return t('end.idleTimeout');
  if (code === 'ended_by_researcher') return t('end.byResearcher');
  if (code === 'storage_failed') return t('end.storageFailed');
  return t('end.technical', { code: code ?? 'unknown' });
}
