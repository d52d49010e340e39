import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Logger } from '../logger.ts';
import { actorView, actorViews } from './actor-view.ts';
import type { LiveDeps } from './live-types.ts';
import type { EndRequest } from './running-episode.ts';
import { keepTrying } from './storage-retry.ts';

/** Why an episode ended without its engine finishing it, as stored in its episode_failed event and summary. */
export interface EndReason {
  code: EndRequest['code'] | 'record_missing' | 'model_undeclared' | 'prompt_pack_unavailable';
  reason: string;
}

/**
 * Stores an episode's end: its episode_failed event after the last stored one (announced to the actor and watchers
 * once stored), then its summary as failed. Each step is retried while storage fails, never done twice; false when
 * `signal` (shutdown) stopped it first. `after` gives the last stored seqs when the caller knows them.
 */
export async function storeFailedEnd(
  deps: Pick<LiveDeps, 'storage' | 'broadcast'>,
  episodeId: string,
  end: EndReason,
  after: { lastStoredSeq: number; lastActorSeq: number } | undefined,
  signal: AbortSignal,
  log: Logger,
): Promise<boolean> {
  let lastSeq = after?.lastStoredSeq;
  let lastActorSeq = after?.lastActorSeq;
  let appended = false;
  let finished = false;
  return keepTrying(
    async () => {
      if (lastSeq === undefined || lastActorSeq === undefined) {
        const events = await deps.storage.live.eventsAfter(episodeId, -1);
        lastSeq = events.at(-1)?.seq ?? -1;
        lastActorSeq = actorViews(events, -1).at(-1)?.seq ?? -1;
      }
      if (!appended) {
        const failed: EpisodeEvent = {
          type: 'episode_failed',
          stage: 'internal',
          code: end.code,
          reason: end.reason,
          seq: lastSeq + 1,
          at: new Date().toISOString(),
        };
        await deps.storage.live.append(episodeId, failed);
        appended = true;
        const view = actorView(failed, lastActorSeq);
        if (view) deps.broadcast.toActor(episodeId, view);
        deps.broadcast.toWatchers(episodeId, failed);
      }
      if (!finished) {
        await deps.storage.live.finish(episodeId, {
          status: 'failed',
          weightedScore: null,
          correct: null,
          interactionTurns: null,
          failure: { stage: 'internal', reason: end.reason },
        });
        finished = true;
      }
    },
    signal,
    (error, attempt) => {
      if (attempt === 0) log.warn({ err: error }, 'storing the end of a live episode failed; retrying');
    },
  );
}
