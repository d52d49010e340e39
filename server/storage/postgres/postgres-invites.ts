import { AppError } from '../../../shared/errors.ts';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type { InviteLimits, InviteLink, InviteRevokeMode, StudyInvite } from '../people-storage.ts';
import {
  INVITE_LINK_SELECT,
  inviteRefusal,
  inviteSelect,
  newInviteRow,
  toInvite,
  toInviteLink,
  type InviteLinkRow,
  type InviteRow,
  type InviteWithCountsRow,
} from '../rows/people-rows.ts';
import { isForeignKeyViolation } from './pg-error-codes.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';

/** Invites with their counts (rows/people-rows.ts); the time is $1, compared byte-wise as SQLite compares text. */
const INVITE_SELECT = inviteSelect('COLLATE "C" > $1');

export async function admitThroughInvite(client: Queryable, code: string, now: Date): Promise<void> {
  const [row] = (await client.query<InviteRow>('SELECT * FROM study_invites WHERE code = $1 FOR UPDATE', [code])).rows;
  if (!row) throw new AppError('invalid_invite', 'this invitation link is not valid; it may have been withdrawn');
  const [used] = (
    await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM participants WHERE invite_code = $1', [code])
  ).rows;
  const refusal = inviteRefusal(row, used?.n ?? 0, now);
  if (refusal !== null) throw new AppError('invalid_invite', refusal.message, { details: { reason: refusal.reason } });
}

export async function createInvite(
  db: PgDatabase,
  input: { studyId: string; role: ParticipantRole } & Partial<InviteLimits>,
): Promise<StudyInvite> {
  const row = newInviteRow(input);
  try {
    await db.rows(
      `INSERT INTO study_invites (code, study_id, role, created_at, label, max_participants, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [row.code, row.study_id, row.role, row.created_at, row.label, row.max_participants, row.expires_at],
    );
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new AppError('not_found', 'no such study');
    throw error;
  }
  return toInvite({ ...row, participants: 0, mid_task: 0 });
}

export async function findInvite(db: PgDatabase, code: string, now: Date): Promise<StudyInvite | null> {
  const [row] = await db.rows<InviteWithCountsRow>(`${INVITE_SELECT} WHERE i.code = $2`, [now.toISOString(), code]);
  return row ? toInvite(row) : null;
}

export async function findInviteLink(db: PgDatabase, code: string): Promise<InviteLink | null> {
  const [row] = await db.rows<InviteLinkRow>(`${INVITE_LINK_SELECT} WHERE i.code = $1`, [code]);
  return row ? toInviteLink(row) : null;
}

export async function listInvites(db: PgDatabase, studyId: string, now: Date): Promise<StudyInvite[]> {
  const rows = await db.rows<InviteWithCountsRow>(
    `${INVITE_SELECT} WHERE i.study_id = $2 ORDER BY i.created_at COLLATE "C", i.code COLLATE "C"`,
    [now.toISOString(), studyId],
  );
  return rows.map(toInvite);
}

export async function updateInvite(db: PgDatabase, code: string, changes: Partial<InviteLimits>): Promise<void> {
  // COALESCE cannot tell "leave as it is" from "set to none", so each given field is a flag and a value.
  await db.rows(
    `UPDATE study_invites SET
       label = CASE WHEN $2::boolean THEN $3::text ELSE label END,
       max_participants = CASE WHEN $4::boolean THEN $5::integer ELSE max_participants END,
       expires_at = CASE WHEN $6::boolean THEN $7::text ELSE expires_at END
     WHERE code = $1`,
    [
      code,
      changes.label !== undefined,
      changes.label ?? '',
      changes.maxParticipants !== undefined,
      changes.maxParticipants ?? null,
      changes.expiresAt !== undefined,
      changes.expiresAt ?? null,
    ],
  );
}

export async function revokeInvite(
  db: PgDatabase,
  code: string,
  mode: InviteRevokeMode,
): Promise<{ revokedSessions: string[] }> {
  return db.transaction(async (client) => {
    // A link locked once stays locked: the sessions it revoked cannot be given back.
    await client.query(
      `UPDATE study_invites SET revoked = 1, revoke_mode = CASE WHEN revoke_mode = 'lock' THEN 'lock' ELSE $2 END
       WHERE code = $1`,
      [code, mode],
    );
    if (mode !== 'lock') return { revokedSessions: [] };
    const rows = (
      await client.query<{ token_hash: string }>(
        `UPDATE auth_sessions SET revoked = 1
         WHERE kind = 'participant' AND revoked = 0
           AND subject_id IN (SELECT id FROM participants WHERE invite_code = $1)
         RETURNING token_hash`,
        [code],
      )
    ).rows;
    return { revokedSessions: rows.map((r) => r.token_hash) };
  });
}
