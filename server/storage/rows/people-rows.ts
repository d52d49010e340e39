import type { Identity, ParticipantRole } from '../../../shared/schemas/identity.ts';
import type {
  InviteLimits,
  InviteLink,
  InviteRevokeMode,
  LoginThrottle,
  Participant,
  ResearcherWithHash,
  StudyInvite,
  ValidAuthSession,
} from '../people-storage.ts';
import { newInviteCode } from '../random-ids.ts';

// The people tables' rows and their mapping to the domain, for both engines: their columns have the same names and,
// as the drivers return them, the same JavaScript types (times are ISO text, `revoked` an integer 0/1, counts numbers).

/** A `participants` row as stored (migration 003; the participants export reads the same columns plus its joins). */
export interface ParticipantRow {
  id: string;
  study_id: string;
  role: ParticipantRole;
  prolific_pid: string | null;
  prolific_study_id: string | null;
  prolific_session_id: string | null;
  invite_code: string | null;
  created_at: string;
}

export interface InviteRow {
  code: string;
  study_id: string;
  role: ParticipantRole;
  created_at: string;
  revoked: number;
  label: string;
  max_participants: number | null;
  expires_at: string | null;
  revoke_mode: InviteRevokeMode | null;
}

/** An invite row with its use count, as INVITE_LINK_SELECT reads it. */
export interface InviteLinkRow extends InviteRow {
  participants: number;
}

/** An invite row with its use count and how many of its people are mid-task, as each engine's invite select reads it. */
export interface InviteWithCountsRow extends InviteLinkRow {
  mid_task: number;
}

/** An `auth_sessions` row joined with its researcher or participant. */
export interface SessionRow {
  token_hash: string;
  kind: 'researcher' | 'participant';
  subject_id: string;
  created_at: string;
  expires_at: string;
  username: string | null;
  study_id: string | null;
  role: ParticipantRole | null;
}

/**
 * The select of an invite with its use count and how many of its people are mid-task (an unexpired play or rating
 * lease in hand). The lease tables belong to the work part of storage; they share this database, and reading them here
 * keeps the counts one query. `unexpired` is the engine's test of a lease's expires_at against the time parameter
 * (`> @now` on SQLite, `COLLATE "C" > $1` on PostgreSQL); each engine appends its WHERE.
 */
export function inviteSelect(unexpired: string): string {
  return `SELECT i.*,
  (SELECT COUNT(*) FROM participants p WHERE p.invite_code = i.code) AS participants,
  (SELECT COUNT(*) FROM participants p WHERE p.invite_code = i.code AND (
     EXISTS (SELECT 1 FROM play_leases l WHERE l.study_id = p.study_id AND l.participant_id = p.id
             AND l.status = 'leased' AND l.expires_at ${unexpired})
     OR EXISTS (SELECT 1 FROM rating_leases l WHERE l.study_id = p.study_id AND l.participant_id = p.id
             AND l.status = 'leased' AND l.expires_at ${unexpired}))) AS mid_task
  FROM study_invites i`;
}

/**
 * The select of an invite with its use count only (InviteLink): one count on the participants' invite index, without
 * inviteSelect's lease probe per participant. Each engine appends its WHERE.
 */
export const INVITE_LINK_SELECT = `SELECT i.*,
  (SELECT COUNT(*) FROM participants p WHERE p.invite_code = i.code) AS participants
  FROM study_invites i`;

/** The session look-up's select (the session and its subject together); each engine appends its WHERE. */
export const SESSION_SELECT = `SELECT s.token_hash, s.kind, s.subject_id, s.created_at, s.expires_at, r.username, p.study_id, p.role
       FROM auth_sessions s
       LEFT JOIN researchers r ON s.kind = 'researcher' AND r.id = s.subject_id
       LEFT JOIN participants p ON s.kind = 'participant' AND p.id = s.subject_id`;

export interface ResearcherRow {
  id: string;
  username: string;
  password_hash: string;
  created_at: string;
}

/** A `login_throttle` row (migration 007). */
export interface ThrottleRow {
  failures: number;
  window_started_at: string;
  locked_until: string | null;
  lockouts: number;
  expires_at: string;
}

export const THROTTLE_COLUMNS = 'failures, window_started_at, locked_until, lockouts, expires_at';

/** A new invite's row: a fresh code, not revoked, the limits given (none where not given). */
export function newInviteRow(input: { studyId: string; role: ParticipantRole } & Partial<InviteLimits>): InviteRow {
  return {
    code: newInviteCode(),
    study_id: input.studyId,
    role: input.role,
    created_at: new Date().toISOString(),
    revoked: 0,
    label: input.label ?? '',
    max_participants: input.maxParticipants ?? null,
    expires_at: input.expiresAt ?? null,
    revoke_mode: null,
  };
}

export function toParticipant(row: ParticipantRow): Participant {
  return {
    id: row.id,
    studyId: row.study_id,
    role: row.role,
    inviteCode: row.invite_code,
    createdAt: row.created_at,
    ...(row.prolific_pid === null ? {} : { prolificPid: row.prolific_pid }),
    ...(row.prolific_study_id === null ? {} : { prolificStudyId: row.prolific_study_id }),
    ...(row.prolific_session_id === null ? {} : { prolificSessionId: row.prolific_session_id }),
  };
}

export function toInvite(row: InviteWithCountsRow): StudyInvite {
  return { ...toInviteLink(row), midTask: row.mid_task };
}

export function toInviteLink(row: InviteLinkRow): InviteLink {
  return {
    code: row.code,
    studyId: row.study_id,
    role: row.role,
    createdAt: row.created_at,
    revoked: row.revoked === 1,
    revokeMode: row.revoke_mode,
    label: row.label,
    maxParticipants: row.max_participants,
    expiresAt: row.expires_at,
    participants: row.participants,
  };
}

/** Null when the session's researcher or participant is gone (the join found no row). */
export function toIdentity(row: SessionRow): Identity | null {
  if (row.kind === 'researcher') {
    return row.username === null ? null : { kind: 'researcher', researcherId: row.subject_id, username: row.username };
  }
  return row.study_id === null || row.role === null
    ? null
    : { kind: 'participant', participantId: row.subject_id, studyId: row.study_id, role: row.role };
}

/** Null when there is no valid session row or its researcher or participant is gone. */
export function toValidSession(row: SessionRow | undefined): ValidAuthSession | null {
  const identity = row ? toIdentity(row) : null;
  if (!row || !identity) return null;
  return {
    tokenHash: row.token_hash,
    kind: row.kind,
    subjectId: row.subject_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    identity,
  };
}

export function toResearcherWithHash(row: ResearcherRow): ResearcherWithHash {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
}

export function toThrottle(row: ThrottleRow): LoginThrottle {
  return {
    failures: row.failures,
    windowStartedAt: row.window_started_at,
    lockedUntil: row.locked_until,
    lockouts: row.lockouts,
    expiresAt: row.expires_at,
  };
}

/**
 * Why a link admits nobody new at `now`, in words for the person who opened it, with a reason the join page can
 * word its own way; null when it admits them.
 */
export function inviteRefusal(
  row: InviteRow,
  used: number,
  now: Date,
): { reason: 'withdrawn' | 'expired' | 'full'; message: string } | null {
  if (row.revoked === 1) {
    return { reason: 'withdrawn', message: 'this invitation link has been withdrawn and takes no new participants' };
  }
  if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) {
    const at = `${row.expires_at.slice(0, 16).replace('T', ' ')} UTC`;
    return { reason: 'expired', message: `this invitation link expired on ${at} and takes no new participants` };
  }
  if (row.max_participants !== null && used >= row.max_participants) {
    const n = row.max_participants;
    return {
      reason: 'full',
      message: `this invitation link has reached its limit of ${n} participant${n === 1 ? '' : 's'}`,
    };
  }
  return null;
}
