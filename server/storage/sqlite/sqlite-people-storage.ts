import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
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
import {
  INVITE_LINK_SELECT,
  inviteRefusal,
  inviteSelect,
  newInviteRow,
  SESSION_SELECT,
  toInvite,
  toInviteLink,
  toParticipant,
  toResearcherWithHash,
  toValidSession,
  type InviteLinkRow,
  type InviteRow,
  type InviteWithCountsRow,
  type ParticipantRow,
  type ResearcherRow,
  type SessionRow,
} from '../rows/people-rows.ts';
import { cachedStatement } from './statement-cache.ts';
import * as loginThrottle from './login-throttle-queries.ts';
import { AppError } from '../../../shared/errors.ts';

/** Invites with their counts (rows/people-rows.ts); the time is `@now`. */
const INVITE_SELECT = inviteSelect('> @now');

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PeopleStorage on the app's SQLite database; each method is one synchronous statement or transaction. */
export class SqlitePeopleStorage implements PeopleStorage {
  constructor(private readonly db: Database.Database) {}

  async createResearcher(input: { username: string; passwordHash: string }): Promise<Researcher> {
    const researcher: Researcher = { id: randomUUID(), username: input.username, createdAt: new Date().toISOString() };
    try {
      cachedStatement(
        this.db,
        'INSERT INTO researchers (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)',
      ).run(researcher.id, researcher.username, input.passwordHash, researcher.createdAt);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', `the username "${input.username}" is taken`);
      throw error;
    }
    return researcher;
  }

  async findResearcherByUsername(username: string): Promise<ResearcherWithHash | null> {
    const row = cachedStatement(
      this.db,
      'SELECT id, username, password_hash, created_at FROM researchers WHERE username = ?',
    ).get(username) as ResearcherRow | undefined;
    return row ? toResearcherWithHash(row) : null;
  }

  async countResearchers(): Promise<number> {
    return cachedStatement(this.db, 'SELECT COUNT(*) FROM researchers').pluck().get() as number;
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
    loginThrottle.clearLoginThrottle(this.db, username);
  }

  async createSession(s: NewAuthSession): Promise<void> {
    cachedStatement(
      this.db,
      'INSERT INTO auth_sessions (token_hash, kind, subject_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ).run(s.tokenHash, s.kind, s.subjectId, s.createdAt, s.expiresAt);
  }

  async findValidSession(tokenHash: string, now: Date): Promise<ValidAuthSession | null> {
    // One query on every authenticated request and socket handshake: the session and its subject together.
    const row = cachedStatement(
      this.db,
      `${SESSION_SELECT}
       WHERE s.token_hash = ? AND s.revoked = 0 AND s.expires_at > ?`,
    ).get(tokenHash, now.toISOString()) as SessionRow | undefined;
    return toValidSession(row);
  }

  async revokeSession(tokenHash: string): Promise<void> {
    cachedStatement(this.db, 'UPDATE auth_sessions SET revoked = 1 WHERE token_hash = ?').run(tokenHash);
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
    const find = cachedStatement(this.db, 'SELECT * FROM participants WHERE study_id = ? AND prolific_pid = ?');
    return this.db
      .transaction(() => {
        if (!cachedStatement(this.db, 'SELECT 1 FROM studies WHERE id = ?').get(input.studyId)) {
          throw new AppError('not_found', 'no such study');
        }
        if (pid !== null) {
          const existing = find.get(input.studyId, pid) as ParticipantRow | undefined;
          if (existing) return { participant: toParticipant(existing), created: false };
        }
        if (input.inviteCode !== undefined) this.admitThroughInvite(input.inviteCode, now);
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
        // The select-then-insert runs in one write transaction, and the partial unique index backs it up for other
        // writers (another process on the same file, or a future PostgreSQL implementation).
        cachedStatement(
          this.db,
          `INSERT INTO participants (id, study_id, role, prolific_pid, prolific_study_id, prolific_session_id, invite_code, created_at)
         VALUES (@id, @study_id, @role, @prolific_pid, @prolific_study_id, @prolific_session_id, @invite_code, @created_at)`,
        ).run(row);
        return { participant: toParticipant(row), created: true };
      })
      .immediate();
  }

  async getParticipant(id: string): Promise<Participant | null> {
    const row = cachedStatement(this.db, 'SELECT * FROM participants WHERE id = ?').get(id) as
      ParticipantRow | undefined;
    return row ? toParticipant(row) : null;
  }

  /** Throws `invalid_invite` unless the link admits a new participant at `now`; runs inside the join transaction. */
  private admitThroughInvite(code: string, now: Date): void {
    const row = cachedStatement(this.db, 'SELECT * FROM study_invites WHERE code = ?').get(code) as
      InviteRow | undefined;
    if (!row) throw new AppError('invalid_invite', 'this invitation link is not valid; it may have been withdrawn');
    const used = cachedStatement(this.db, 'SELECT COUNT(*) FROM participants WHERE invite_code = ?')
      .pluck()
      .get(code) as number;
    const refusal = inviteRefusal(row, used, now);
    if (refusal !== null) {
      throw new AppError('invalid_invite', refusal.message, { details: { reason: refusal.reason } });
    }
  }

  async createInvite(input: { studyId: string; role: ParticipantRole } & Partial<InviteLimits>): Promise<StudyInvite> {
    const row = newInviteRow(input);
    try {
      cachedStatement(
        this.db,
        `INSERT INTO study_invites (code, study_id, role, created_at, label, max_participants, expires_at)
         VALUES (@code, @study_id, @role, @created_at, @label, @max_participants, @expires_at)`,
      ).run(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
        throw new AppError('not_found', 'no such study');
      throw error;
    }
    return toInvite({ ...row, participants: 0, mid_task: 0 });
  }

  async findInvite(code: string, now: Date = new Date()): Promise<StudyInvite | null> {
    const row = cachedStatement(this.db, `${INVITE_SELECT} WHERE i.code = @code`).get({
      code,
      now: now.toISOString(),
    }) as InviteWithCountsRow | undefined;
    return row ? toInvite(row) : null;
  }

  async findInviteLink(code: string): Promise<InviteLink | null> {
    const row = cachedStatement(this.db, `${INVITE_LINK_SELECT} WHERE i.code = ?`).get(code) as
      InviteLinkRow | undefined;
    return row ? toInviteLink(row) : null;
  }

  async listInvites(studyId: string, now: Date = new Date()): Promise<StudyInvite[]> {
    const rows = cachedStatement(
      this.db,
      `${INVITE_SELECT} WHERE i.study_id = @studyId ORDER BY i.created_at, i.code`,
    ).all({ studyId, now: now.toISOString() }) as InviteWithCountsRow[];
    return rows.map(toInvite);
  }

  async updateInvite(code: string, changes: Partial<InviteLimits>): Promise<StudyInvite | null> {
    // COALESCE cannot tell "leave as it is" from "set to none", so each given field is a flag and a value.
    cachedStatement(
      this.db,
      `UPDATE study_invites SET
         label = CASE WHEN @setLabel THEN @label ELSE label END,
         max_participants = CASE WHEN @setMax THEN @max ELSE max_participants END,
         expires_at = CASE WHEN @setExpiry THEN @expiresAt ELSE expires_at END
       WHERE code = @code`,
    ).run({
      code,
      setLabel: changes.label === undefined ? 0 : 1,
      label: changes.label ?? '',
      setMax: changes.maxParticipants === undefined ? 0 : 1,
      max: changes.maxParticipants ?? null,
      setExpiry: changes.expiresAt === undefined ? 0 : 1,
      expiresAt: changes.expiresAt ?? null,
    });
    return this.findInvite(code);
  }

  async revokeInvite(code: string, mode: InviteRevokeMode = 'finish'): Promise<{ revokedSessions: string[] }> {
    return this.db
      .transaction(() => {
        // A link locked once stays locked: the sessions it revoked cannot be given back.
        cachedStatement(
          this.db,
          `UPDATE study_invites SET revoked = 1,
             revoke_mode = CASE WHEN revoke_mode = 'lock' THEN 'lock' ELSE @mode END
           WHERE code = @code`,
        ).run({ code, mode });
        if (mode !== 'lock') return { revokedSessions: [] };
        const revokedSessions = cachedStatement(
          this.db,
          `UPDATE auth_sessions SET revoked = 1
           WHERE kind = 'participant' AND revoked = 0
             AND subject_id IN (SELECT id FROM participants WHERE invite_code = ?)
           RETURNING token_hash`,
        )
          .pluck()
          .all(code) as string[];
        return { revokedSessions };
      })
      .immediate();
  }

  async getOrCreateAppSecret(name: string, candidate: string): Promise<string> {
    cachedStatement(this.db, 'INSERT INTO app_secrets (name, value) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(
      name,
      candidate,
    );
    return cachedStatement(this.db, 'SELECT value FROM app_secrets WHERE name = ?').pluck().get(name) as string;
  }
}
