import { AppError } from '../../../shared/errors.ts';
import type { LiveUnit, LiveUnits } from '../../../shared/schemas/api-live-sessions.ts';
import type { Storage } from '../../storage/storage.ts';

/**
 * The units participants hold in a study now: each running live episode with the person's replies so far and last
 * activity (0 replies for a while = a unit started and never played), and each assignment still leased whose last
 * episode ended without giving it back. Newest first, a page of them (`offset`, `limit`), and how many in all.
 */
export async function listLiveUnits(
  storage: Storage,
  studyId: string,
  page: { offset: number; limit: number },
): Promise<LiveUnits> {
  if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
  // The units are found by the database (LiveEpisodeStorage.units), and the page's replies, last activity and
  // Prolific ids read for the page at once. Reading and parsing each running episode's whole log, and each
  // participant apart, for every unit cost the live loop 64 ms per poll of the monitor (1,000 persons playing,
  // 1,000 episodes ended).
  const { total, episodes: shown } = await storage.live.units(studyId, page);
  const activity = await storage.live.activity(shown.map((e) => e.summary.id));
  const prolific = await storage.research.prolificIds([...new Set(shown.map((e) => e.participantId))]);
  const units = shown.map((info): LiveUnit => {
    const seen = activity.get(info.summary.id);
    return {
      state: info.summary.status === 'running' ? 'playing' : 'held',
      assignmentId: info.assignmentId,
      episodeId: info.summary.id,
      participantId: info.participantId,
      prolificPid: prolific.get(info.participantId)?.prolificPid ?? null,
      problemId: info.summary.problemId,
      model: info.summary.assistantModel ?? '',
      startedAt: info.summary.startedAt,
      replies: seen?.replies ?? 0,
      lastActivityAt: seen?.lastEventAt ?? info.summary.startedAt,
    };
  });
  return { total, units };
}

/**
 * Gives a unit held without a live episode back to the queue. `not_found` unless the assignment is this study's;
 * `conflict` if it is no longer leased, or a session runs on it (end that session instead: it releases the unit).
 */
export async function releaseHeldUnit(storage: Storage, studyId: string, assignmentId: string): Promise<void> {
  const lease = await storage.work.getPlayLease(assignmentId);
  if (!lease || lease.studyId !== studyId) throw new AppError('not_found', 'no such assignment in this study');
  if (lease.status !== 'leased') throw new AppError('conflict', `this assignment is already ${lease.status}`);
  const running = await storage.live.listLive({ studyId, status: 'running', assignmentId, limit: 1 });
  if (running.length > 0) throw new AppError('conflict', 'a live session runs on this unit: end the session instead');
  await storage.work.endPlayLease(assignmentId, 'released', new Date());
}
