import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary } from '../../storage/episode-storage.ts';
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
 * How storing an end went: stored; stopped by `signal` (shutdown: the episode stays 'running' in storage and is healed
 * at the next start); or refused because another node owns the episode now (it stalled past its lease here): the new
 * owner ends it, so nothing is stored and nothing more is done here.
 */
export type EndStored = 'stored' | 'stopped' | 'not_owner';

/**
 * Stores an episode's end: its episode_failed event after the last stored one (announced to the actor and watchers
 * once stored), then its summary as failed, both as the episode's owner `owner` (fenced: storage refuses them once
 * another node owns it). Each step is retried while storage fails, never done twice. `after` gives the last stored
 * seqs when the caller knows them.
 */
export async function storeFailedEnd(
  deps: Pick<LiveDeps, 'storage' | 'broadcast'>,
  episodeId: string,
  end: EndReason,
  after: { lastStoredSeq: number; lastActorSeq: number } | undefined,
  owner: string,
  signal: AbortSignal,
  log: Logger,
): Promise<EndStored> {
  let lastSeq = after?.lastStoredSeq;
  let lastActorSeq = after?.lastActorSeq;
  let appended = false;
  let lost = false;
  const stored = await keepTrying(
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
        if (!(await deps.storage.live.appendOwned(episodeId, [failed], owner)).stored) {
          lost = true;
          return;
        }
        appended = true;
        const view = actorView(failed, lastActorSeq);
        if (view) deps.broadcast.toActor(episodeId, view);
        deps.broadcast.toWatchers(episodeId, failed);
      }
      const finished = await deps.storage.live.finish(
        episodeId,
        {
          status: 'failed',
          weightedScore: null,
          correct: null,
          interactionTurns: null,
          failure: { stage: 'internal', reason: end.reason },
        },
        owner,
      );
      lost = !finished.stored;
    },
    signal,
    (error, attempt) => {
      if (attempt === 0) log.warn({ err: error }, 'storing the end of a live episode failed; retrying');
    },
  );
  return endStored(stored, lost, log);
}

/**
 * Stores the end of an episode its engine finished (completed, or failed in the engine) as its owner `owner`: retried
 * while storage fails, since an ended episode left 'running' would be resumed and played again.
 */
export async function storeOutcome(
  deps: Pick<LiveDeps, 'storage'>,
  episodeId: string,
  s: EpisodeSummary,
  owner: string,
  signal: AbortSignal,
  log: Logger,
): Promise<EndStored> {
  let lost = false;
  const stored = await keepTrying(
    async () => {
      const fields = {
        status: s.status,
        weightedScore: s.weightedScore,
        correct: s.correct,
        interactionTurns: s.interactionTurns,
        failure: s.failure,
      };
      lost = !(await deps.storage.live.finish(episodeId, fields, owner)).stored;
    },
    signal,
    (error, attempt) => {
      if (attempt === 0) log.warn({ err: error }, 'storing the end of a live episode failed; retrying');
    },
  );
  return endStored(stored, lost, log);
}

function endStored(stored: boolean, lost: boolean, log: Logger): EndStored {
  if (!stored) return 'stopped';
  if (!lost) return 'stored';
  log.warn('this live episode runs on another server now: its end is not stored here');
  return 'not_owner';
}
