import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { ParticipantRole } from '../../../shared/schemas/identity.ts';
import type {
  InviteLimits,
  InviteLink,
  InviteRevokeMode,
  LoginThrottle,
  NewAuthSession,
  Participant,
  PeopleStorage,
  ProlificIds,
  Researcher,
  ResearcherWithHash,
  StudyInvite,
  ValidAuthSession,
} from '../people-storage.ts';
import { isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase } from './pg-database.ts';
import * as invites from './postgres-invites.ts';
import {
  SESSION_SELECT,
  toParticipant,
  toResearcherWithHash,
  toValidSession,
  type ParticipantRow,
  type ResearcherRow,
  type SessionRow,
} from '../rows/people-rows.ts';
import * as loginThrottle from './postgres-login-throttle.ts';

/**
 * PeopleStorage on PostgreSQL (sqlite/sqlite-people-storage.ts). Usernames compare case-insensitively through the
 * nocase collation of their columns (migration 003); ISO times compare COLLATE "C", as SQLite compares text.
 */
export class PostgresPeopleStorage implements PeopleStorage {
  constructor(private readonly db: PgDatabase) {}

  async createResearcher(input: { username: string; passwordHash: string }): Promise<Researcher> {
    const researcher: Researcher = { id: randomUUID(), username: input.username, createdAt: new Date().toISOString() };
    try {
      await this.db.rows('INSERT INTO researchers (id, username, password_hash, created_at) VALUES ($1, $2, $3, $4)', [
        researcher.id,
        researcher.username,
        input.passwordHash,
        researcher.createdAt,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', `the username "${input.username}" is taken`);
      throw error;
    }
    return researcher;
  }

  async findResearcherByUsername(username: string): Promise<ResearcherWithHash | null> {
    const [row] = await this.db.rows<ResearcherRow>(
      'SELECT id, username, password_hash, created_at FROM researchers WHERE username = $1',
      [username],
    );
    return row ? toResearcherWithHash(row) : null;
  }

  async countResearchers(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM researchers');
    return row?.n ?? 0;
  }

  async getLoginThrottle(username: string, now: Date): Promise<LoginThrottle | null> {
    return loginThrottle.getLoginThrottle(this.db, username, now);
  }

  async updateLoginThrottle(
    username: string,
    now: Date,
    next: (current: LoginThrottle | null) => LoginThrottle,
  ): Promise<LoginThrottle> {
    return loginThrottle.updateLoginThrottle(this.db, username, now, next);
  }

  async clearLoginThrottle(username: string): Promise<void> {
    await loginThrottle.clearLoginThrottle(this.db, username);
  }

  async createSession(s: NewAuthSession): Promise<void> {
    await this.db.rows(
      'INSERT INTO auth_sessions (token_hash, kind, subject_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [s.tokenHash, s.kind, s.subjectId, s.createdAt, s.expiresAt],
    );
  }

  async findValidSession(tokenHash: string, now: Date): Promise<ValidAuthSession | null> {
    // One query on every authenticated request and socket handshake: the session and its subject together.
    const [row] = await this.db.rows<SessionRow>(
      `${SESSION_SELECT}
       WHERE s.token_hash = $1 AND s.revoked = 0 AND s.expires_at COLLATE "C" > $2`,
      [tokenHash, now.toISOString()],
    );
    return toValidSession(row);
  }

  async revokeSession(tokenHash: string): Promise<void> {
    await this.db.rows('UPDATE auth_sessions SET revoked = 1 WHERE token_hash = $1', [tokenHash]);
  }

  async findOrCreateParticipant(input: {
    studyId: string;
    role: ParticipantRole;
    prolific: ProlificIds;
    inviteCode?: string;
    now?: Date;
  }): Promise<{ participant: Participant; created: boolean }> {
    const now = input.now ?? new Date();
    const pid = input.prolific.prolificPid ?? null;
    return this.db.transaction(async (client) => {
      const find = async (): Promise<ParticipantRow | undefined> =>
        pid === null
          ? undefined
          : (
              await client.query<ParticipantRow>(
                'SELECT * FROM participants WHERE study_id = $1 AND prolific_pid = $2',
                [input.studyId, pid],
              )
            ).rows[0];
      if ((await client.query('SELECT 1 FROM studies WHERE id = $1', [input.studyId])).rowCount === 0)
        throw new AppError('not_found', 'no such study');
      const existing = await find();
      if (existing) return { participant: toParticipant(existing), created: false };
      if (input.inviteCode !== undefined) await invites.admitThroughInvite(client, input.inviteCode, now);
      const row: ParticipantRow = {
        id: randomUUID(),
        study_id: input.studyId,
        role: input.role,
        prolific_pid: pid,
        prolific_study_id: input.prolific.prolificStudyId ?? null,
        prolific_session_id: input.prolific.prolificSessionId ?? null,
        invite_code: input.inviteCode ?? null,
        created_at: now.toISOString(),
      };
      // Two joins with one PID can both find nobody: the partial unique index lets one insert and the other, which
      // waited for it, inserts nothing and reads the winner's row (committed by then).
      const inserted = await client.query(
        `INSERT INTO participants (id, study_id, role, prolific_pid, prolific_study_id, prolific_session_id,
           invite_code, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (study_id, prolific_pid) WHERE prolific_pid IS NOT NULL DO NOTHING`,
        [
          row.id,
          row.study_id,
          row.role,
          row.prolific_pid,
          row.prolific_study_id,
          row.prolific_session_id,
          row.invite_code,
          row.created_at,
        ],
      );
      if (inserted.rowCount === 1) return { participant: toParticipant(row), created: true };
      const winner = await find();
      if (!winner) throw new Error('a participant with this PID was neither inserted nor found');
      return { participant: toParticipant(winner), created: false };
    });
  }

  async getParticipant(id: string): Promise<Participant | null> {
    const [row] = await this.db.rows<ParticipantRow>('SELECT * FROM participants WHERE id = $1', [id]);
    return row ? toParticipant(row) : null;
  }

  async createInvite(input: { studyId: string; role: ParticipantRole } & Partial<InviteLimits>): Promise<StudyInvite> {
    return invites.createInvite(this.db, input);
  }

  async findInvite(code: string, now: Date = new Date()): Promise<StudyInvite | null> {
    return invites.findInvite(this.db, code, now);
  }

  async findInviteLink(code: string): Promise<InviteLink | null> {
    return invites.findInviteLink(this.db, code);
  }

  async listInvites(studyId: string, now: Date = new Date()): Promise<StudyInvite[]> {
    return invites.listInvites(this.db, studyId, now);
  }

  async updateInvite(code: string, changes: Partial<InviteLimits>): Promise<StudyInvite | null> {
    await invites.updateInvite(this.db, code, changes);
    return this.findInvite(code);
  }

  async revokeInvite(code: string, mode: InviteRevokeMode = 'finish'): Promise<{ revokedSessions: string[] }> {
    return invites.revokeInvite(this.db, code, mode);
  }

  async getOrCreateAppSecret(name: string, candidate: string): Promise<string> {
    await this.db.rows('INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      name,
      candidate,
    ]);
    const [row] = await this.db.rows<{ value: string }>('SELECT value FROM app_secrets WHERE name = $1', [name]);
    if (!row) throw new Error(`app secret ${name}: neither inserted nor found`);
    return row.value;
  }
}
