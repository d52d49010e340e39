import { OkSchema } from '../../../shared/schemas/api-common.ts';
import { LIVE_UNITS_PAGE, LiveUnitsSchema, type LiveUnits } from '../../../shared/schemas/api-live-sessions.ts';
import { getJson, postJson } from './request.ts';

/** The researcher's oversight of live play: units held now, ending a stuck session, releasing a held unit. */

const study = (studyId: string): string => `/api/studies/${encodeURIComponent(studyId)}`;

/** One page of the units held now (newest first) and how many are held in all. */
export function fetchLiveUnits(studyId: string, offset: number, signal?: AbortSignal): Promise<LiveUnits> {
  return getJson(`${study(studyId)}/live-units?offset=${offset}&limit=${LIVE_UNITS_PAGE}`, LiveUnitsSchema, signal);
}

/** Ends a running session: the actor sees it end, the unit goes back to the queue, the reason is stored. */
export async function endLiveSession(studyId: string, episodeId: string, reason: string): Promise<void> {
  await postJson(`${study(studyId)}/episodes/${encodeURIComponent(episodeId)}/end`, { reason }, OkSchema);
}

/** Gives a unit held without a running session back to the queue. */
export async function releaseHeldUnit(studyId: string, assignmentId: string, reason: string): Promise<void> {
  await postJson(`${study(studyId)}/assignments/${encodeURIComponent(assignmentId)}/release`, { reason }, OkSchema);
}
