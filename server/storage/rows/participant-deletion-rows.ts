import { createHmac } from 'node:crypto';
import type { DeletionRecord, DeletionRequester } from '../participant-deletion-storage.ts';

// Deleting a participant's data, for both engines (migration 016): the participant row a deletion reads, the
// `participant_deletions` row it leaves, and the tables it deletes from by name. The statements stay per engine.

/** The participant a deletion removes. */
export interface DeletionTarget {
  id: string;
  study_id: string;
  role: 'actor' | 'rater';
  prolific_pid: string | null;
}

/** Tables deleted from explicitly by deleteParticipant; any other table with a participant_id column is swept. */
export const HANDLED_TABLES: ReadonlySet<string> = new Set([
  'episodes',
  'ratings',
  'rating_skips',
  'rating_flags',
  'rating_leases',
  'play_leases',
  'participant_outcomes',
]);

/** The keyed hash kept in participant_deletions: matches a Prolific id someone brings, reveals nothing by itself. */
export function prolificPidHmac(pidKey: string, prolificPid: string): string {
  return createHmac('sha256', pidKey).update(prolificPid).digest('hex');
}

/** The values of the participant_deletions row a deletion leaves, in DELETION_COLUMNS order. */
export function deletionValues(
  who: DeletionTarget,
  input: { by: DeletionRequester; pidKey: string; now?: Date },
): [string, string | null, 'actor' | 'rater', string, string] {
  return [
    who.study_id,
    who.prolific_pid === null ? null : prolificPidHmac(input.pidKey, who.prolific_pid),
    who.role,
    (input.now ?? new Date()).toISOString(),
    typeof input.by === 'string' ? input.by : input.by.researcherId,
  ];
}

export const DELETION_COLUMNS = 'study_id, prolific_pid_hmac, role, deleted_at, deleted_by';

export interface DeletionRow {
  study_id: string;
  prolific_pid_hmac: string | null;
  role: 'actor' | 'rater';
  deleted_at: string;
  deleted_by: string;
}

export function toDeletionRecord(r: DeletionRow): DeletionRecord {
  return {
    studyId: r.study_id,
    prolificPidHmac: r.prolific_pid_hmac,
    role: r.role,
    deletedAt: r.deleted_at,
    deletedBy: r.deleted_by,
  };
}
