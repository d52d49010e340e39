import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { LeaseStatus, PlayLease } from '../study-work-storage.ts';

// The play queue's lease row and its mapper, for both engines (sqlite/play-queue-queries.ts,
// postgres/postgres-work-play.ts): the same columns, times ISO text on both.

/** A `play_leases` row joined with its `play_units` row (`u`) for the problem and the model. */
export interface PlayLeaseRow {
  id: string;
  study_id: string;
  participant_id: string;
  problem_id: string;
  model: string;
  status: string;
  episode_id: string | null;
  leased_at: string;
  expires_at: string;
}

export const PLAY_LEASE_COLUMNS = `l.id, l.study_id, l.participant_id, u.problem_id, u.model, l.status, l.episode_id, l.leased_at, l.expires_at`;

export function toPlayLease(r: PlayLeaseRow): PlayLease {
  return {
    id: r.id,
    studyId: r.study_id,
    participantId: r.participant_id,
    problemId: r.problem_id,
    model: r.model,
    status: r.status as LeaseStatus,
    episodeId: r.episode_id,
    leasedAt: r.leased_at,
    expiresAt: r.expires_at,
  };
}

/** When a lease taken now lapses: play and rating leases last the study's lease minutes. */
export function expiresAt(now: Date, settings: Pick<LiveStudySettings, 'leaseMinutes'>): string {
  return new Date(now.getTime() + settings.leaseMinutes * 60_000).toISOString();
}
