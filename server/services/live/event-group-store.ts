import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { LiveEpisodeStorage } from '../../storage/live-storage.ts';
import type { Logger } from '../logger.ts';
import { backoffDelay, pause } from './storage-retry.ts';

/**
 * How storing a group went: stored; refused because another node owns the episode now (fencing); or not stored
 * because the episode was stopped meanwhile, or storage stayed broken for the whole window (`gaveUp`).
 */
export type StoredGroup = 'stored' | 'not_owner' | { gaveUp: { error: unknown; windowMs: number } | null };

/**
 * Appends a group of a live episode's events as its owner (`appendOwned`: fenced, one transaction), retrying with
 * backoff (0.5 s doubling to 10 s) while storage fails, for at most `windowMs`. `delayed` is told when saving starts
 * to wait for storage and when it works again (the actor is told). A refusal is not retried: the episode is another
 * node's now, and nothing this node holds of it may be stored.
 */
export async function storeGroupRetrying(
  group: readonly EpisodeEvent[],
  to: {
    storage: LiveEpisodeStorage;
    episodeId: string;
    owner: string;
    windowMs: number;
    signal: AbortSignal;
    logger: Logger;
    delayed: (delayed: boolean) => void;
  },
): Promise<StoredGroup> {
  const first = group[0]?.seq;
  let since: number | null = null;
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await to.storage.appendOwned(to.episodeId, group, to.owner);
      if (!outcome.stored) {
        to.logger.warn(
          { seq: first, events: group.length },
          'storing refused: another server owns this live episode now',
        );
        return 'not_owner';
      }
      if (since !== null) {
        to.logger.info({ seq: first, attempts: attempt + 1 }, 'storing episode events works again');
        to.delayed(false);
      }
      return 'stored';
    } catch (error) {
      if (since === null) {
        since = Date.now();
        to.logger.warn({ err: error, seq: first, events: group.length }, 'storing episode events failed; retrying');
        to.delayed(true);
      }
      // Stopped meanwhile (shutdown, or a researcher ended it): what is stored is what resumes or is kept.
      if (to.signal.aborted) return { gaveUp: null };
      const left = since + to.windowMs - Date.now();
      if (left <= 0) return { gaveUp: { error, windowMs: to.windowMs } };
      await pause(Math.min(backoffDelay(attempt), left), to.signal);
    }
  }
}
