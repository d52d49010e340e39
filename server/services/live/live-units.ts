import { AppError } from '../../../shared/errors.ts';
import type { LiveUnit } from '../../../shared/schemas/api-live-sessions.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Storage } from '../../storage/storage.ts';

/** The person's replies in a log (their answers to the model; not the opening built from the persona). */
function repliesIn(events: readonly EpisodeEvent[]): number {
  return events.filter((e) => e.type === 'message' && e.role === 'user' && e.kind === 'reply').length;
}

/**
 * The units participants hold in a study now: each running live episode with the person's replies so far and last
 * activity (0 replies for a while = a unit started and never played), and each assignment still leased whose last
 * episode ended without giving it back. Newest first.
 */
export async function listLiveUnits(storage: Storage, studyId: string): Promise<LiveUnit[]> {
  if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
  const episodes = await storage.live.listLive({ studyId });
  const prolific = new Map<string, string | null>();
  const prolificPid = async (participantId: string): Promise<string | null> => {
    if (!prolific.has(participantId))
      prolific.set(participantId, (await storage.people.getParticipant(participantId))?.prolificPid ?? null);
    return prolific.get(participantId) ?? null;
  };
  const units: LiveUnit[] = [];
  const seen = new Set<string>();
  const playing = new Set(
    episodes.filter((e) => e.summary.status === 'running' && e.assignmentId).map((e) => e.assignmentId),
  );
  for (const info of episodes) {
    const running = info.summary.status === 'running';
    if (!running) {
      // An ended episode matters only if its assignment is still leased with nothing running on it.
      if (!info.assignmentId || playing.has(info.assignmentId) || seen.has(info.assignmentId)) continue;
      seen.add(info.assignmentId);
      const lease = await storage.work.getPlayLease(info.assignmentId);
      if (lease?.status !== 'leased') continue;
    }
    const events = await storage.live.eventsAfter(info.summary.id, -1);
    units.push({
      state: running ? 'playing' : 'held',
      assignmentId: info.assignmentId,
      episodeId: info.summary.id,
      participantId: info.participantId,
      prolificPid: await prolificPid(info.participantId),
      problemId: info.summary.problemId,
      model: info.summary.assistantModel ?? '',
      startedAt: info.summary.startedAt,
      replies: repliesIn(events),
      lastActivityAt: events.at(-1)?.at ?? info.summary.startedAt,
    });
  }
  return units;
}

/**
 * Gives a unit held without a live episode back to the queue. `not_found` unless the assignment is this study's;
 * `conflict` if it is no longer leased, or a session runs on it (end that session instead: it releases the unit).
 */
export async function releaseHeldUnit(storage: Storage, studyId: string, assignmentId: string): Promise<void> {
  const lease = await storage.work.getPlayLease(assignmentId);
  if (!lease || lease.studyId !== studyId) throw new AppError('not_found', 'no such assignment in this study');
  if (lease.status !== 'leased') throw new AppError('conflict', `this assignment is already ${lease.status}`);
  const running = await storage.live.listLive({ studyId, status: 'running' });
  if (running.some((e) => e.assignmentId === assignmentId))
    throw new AppError('conflict', 'a live session runs on this unit: end the session instead');
  await storage.work.endPlayLease(assignmentId, 'released', new Date());
}
