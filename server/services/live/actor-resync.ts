import type { ActorEvent, ResyncResult } from '../../../shared/protocol/live.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { actorViews } from './actor-view.ts';
import type { LiveEpisodes } from './live-episodes.ts';
import type { LiveDeps } from './live-types.ts';

/**
 * What a reconnecting browser is sent to catch up exactly (LiveSessions.resync, for an episode the caller has checked
 * is the actor's): the person-visible events after `afterSeq`, and the model turn being streamed right now.
 */
export async function actorResync(
  episodes: LiveEpisodes,
  deps: Pick<LiveDeps, 'queue'>,
  info: LiveEpisodeInfo,
  afterSeq: number,
): Promise<ResyncResult> {
  const running = await episodes.live(info);
  if (running) await running.flushed();
  // Running here: its log holds every stored event in memory (the ones after lastStoredSeq are not stored yet).
  const all = running
    ? running.log.events.filter((e) => e.seq <= running.lastStoredSeq)
    : await episodes.logs.storedEvents(info.summary.id);
  const visible = actorViews(all, -1);
  const events: ActorEvent[] = visible.filter((e) => e.seq > afterSeq);
  const status = running
    ? 'running'
    : info.summary.status === 'completed'
      ? 'completed'
      : info.summary.status === 'running'
        ? 'running'
        : 'failed';
  const rated = visible.some((e) => e.type === 'actor_rated');
  const timedOut = visible.some((e) => e.type === 'episode_failed' && e.code === 'idle_timeout');
  // Read only when there is a code to show.
  const codes = rated || timedOut ? (await deps.queue.settings(info.studyId)).completionCodes : undefined;
  const completionCode = rated ? (codes?.completed ?? null) : timedOut ? (codes?.timedOut ?? null) : null;
  return {
    events,
    streaming: running?.streaming ? { ...running.streaming } : null,
    status,
    awaitingTurn: running?.seat.awaitingTurn ?? null,
    completionCode,
  };
}
