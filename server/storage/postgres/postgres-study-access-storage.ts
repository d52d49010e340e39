import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import {
  StudyRoleSchema,
  type AuditEntry,
  type StudyMember,
  type StudyRole,
} from '../../../shared/schemas/study-access.ts';
import type { Page } from '../storage.ts';
import type { NewAuditEntry, NewStudyMember, StudyAccessStorage } from '../study-access-storage.ts';
import {
  LAST_OWNER,
  MEMBER_SELECT,
  storedAudit,
  toAudit,
  toMember,
  type AuditRow,
  type MemberRow,
} from '../rows/access-rows.ts';
import { isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';

async function member(db: Queryable, studyId: string, researcherId: string): Promise<StudyMember | null> {
  const [row] = (
    await db.query<MemberRow>(`${MEMBER_SELECT} WHERE m.study_id = $1 AND m.researcher_id = $2`, [
      studyId,
      researcherId,
    ])
  ).rows;
  return row ? toMember(row) : null;
}

/**
 * Inside a change or removal: locks the study's member rows, so two owners demoting or removing each other at once
 * queue here and the second sees the first's change (the last owner is never lost); returns the member's row and
 * whether another owner remains.
 */
async function lockedMember(
  client: pg.PoolClient,
  studyId: string,
  researcherId: string,
): Promise<{ current: StudyMember; otherOwners: number }> {
  const rows = (
    await client.query<{ researcher_id: string; role: string }>(
      'SELECT researcher_id, role FROM study_members WHERE study_id = $1 FOR UPDATE',
      [studyId],
    )
  ).rows;
  const current = await member(client, studyId, researcherId);
  if (!current) throw new AppError('not_found', 'this researcher has no role in the study');
  const otherOwners = rows.filter((r) => r.role === 'owner' && r.researcher_id !== researcherId).length;
  return { current, otherOwners };
}

/** Researchers' roles per study and the audit log on PostgreSQL (sqlite/sqlite-study-access-storage.ts; 017). */
export class PostgresStudyAccessStorage implements StudyAccessStorage {
  constructor(private readonly db: PgDatabase) {}

  async roleOf(studyId: string, researcherId: string): Promise<StudyRole | null> {
    const [row] = await this.db.rows<{ role: string }>(
      'SELECT role FROM study_members WHERE study_id = $1 AND researcher_id = $2',
      [studyId, researcherId],
    );
    return row === undefined ? null : StudyRoleSchema.parse(row.role);
  }

  async rolesOf(researcherId: string): Promise<Map<string, StudyRole>> {
    const rows = await this.db.rows<{ study_id: string; role: string }>(
      'SELECT study_id, role FROM study_members WHERE researcher_id = $1',
      [researcherId],
    );
    return new Map(rows.map((r) => [r.study_id, StudyRoleSchema.parse(r.role)]));
  }

  async listMembers(studyId: string): Promise<StudyMember[]> {
    // lower(…) COLLATE "C": SQLite's NOCASE order (case folded, then byte order), not the database locale's.
    const rows = await this.db.rows<MemberRow>(
      `${MEMBER_SELECT} WHERE m.study_id = $1
       ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'collaborator' THEN 1 ELSE 2 END,
         lower(r.username) COLLATE "C"`,
      [studyId],
    );
    return rows.map(toMember);
  }

  async addMember(input: NewStudyMember): Promise<StudyMember> {
    return this.db.transaction(async (client) => {
      if ((await client.query('SELECT 1 FROM studies WHERE id = $1', [input.studyId])).rowCount === 0)
        throw new AppError('not_found', 'no such study');
      if ((await client.query('SELECT 1 FROM researchers WHERE id = $1', [input.researcherId])).rowCount === 0)
        throw new AppError('not_found', 'no such researcher');
      try {
        await client.query(
          'INSERT INTO study_members (study_id, researcher_id, role, added_at, added_by) VALUES ($1, $2, $3, $4, $5)',
          [input.studyId, input.researcherId, input.role, input.now.toISOString(), input.addedBy],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('conflict', 'this researcher already has a role in the study');
        throw error;
      }
      const added = await member(client, input.studyId, input.researcherId);
      if (!added) throw new Error('study member vanished after insert');
      return added;
    });
  }

  async changeMember(studyId: string, researcherId: string, role: StudyRole): Promise<StudyMember> {
    return this.db.transaction(async (client) => {
      const { current, otherOwners } = await lockedMember(client, studyId, researcherId);
      if (current.role === 'owner' && role !== 'owner' && otherOwners === 0) throw new AppError('conflict', LAST_OWNER);
      await client.query('UPDATE study_members SET role = $1 WHERE study_id = $2 AND researcher_id = $3', [
        role,
        studyId,
        researcherId,
      ]);
      return { ...current, role };
    });
  }

  async removeMember(studyId: string, researcherId: string): Promise<void> {
    await this.db.transaction(async (client) => {
      const { current, otherOwners } = await lockedMember(client, studyId, researcherId);
      if (current.role === 'owner' && otherOwners === 0) throw new AppError('conflict', LAST_OWNER);
      await client.query('DELETE FROM study_members WHERE study_id = $1 AND researcher_id = $2', [
        studyId,
        researcherId,
      ]);
    });
  }

  async adoptUnclaimedStudies(researcherId: string, now: Date): Promise<string[]> {
    // Serializable: two researchers adopting at once must not both become owners of the same unclaimed study (the
    // loser runs again and finds it claimed).
    return this.db.transaction(async (client) => {
      const rows = (
        await client.query<{ study_id: string }>(
          `INSERT INTO study_members (study_id, researcher_id, role, added_at, added_by)
           SELECT s.id, $1, 'owner', $2, NULL FROM studies s
           WHERE NOT EXISTS (SELECT 1 FROM study_members m WHERE m.study_id = s.id)
           RETURNING study_id`,
          [researcherId, now.toISOString()],
        )
      ).rows;
      return rows.map((r) => r.study_id);
    }, 'serializable');
  }

  async someResearchers(limit: number): Promise<{ id: string; username: string }[]> {
    return this.db.rows<{ id: string; username: string }>(
      'SELECT id, username FROM researchers ORDER BY created_at COLLATE "C", id COLLATE "C" LIMIT $1',
      [limit],
    );
  }

  async studyOfRun(runId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ study_id: string | null }>('SELECT study_id FROM runs WHERE id = $1', [runId]);
    return row?.study_id ?? null;
  }

  async studyOfEpisode(episodeId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ study_id: string | null }>(
      `SELECT COALESCE(e.study_id, r.study_id, t.study_id) AS study_id
       FROM episodes e LEFT JOIN runs r ON r.id = e.run_id LEFT JOIN episodes t ON t.id = e.twin_of
       WHERE e.id = $1`,
      [episodeId],
    );
    return row?.study_id ?? null;
  }

  async recordAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const at = entry.now.toISOString();
    const [row] = await this.db.rows<{ id: number }>(
      `INSERT INTO audit_log (study_id, researcher_id, username, action, detail, at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id`,
      [entry.studyId, entry.researcherId, entry.username, entry.action, entry.detail, at],
    );
    if (!row) throw new Error('audit entry not stored');
    return storedAudit(row.id, at, entry);
  }

  async listAudit(studyId: string, page: { offset: number; limit: number }): Promise<Page<AuditEntry>> {
    return this.db.transaction(async (client) => {
      const [count] = (
        await client.query<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log WHERE study_id = $1', [studyId])
      ).rows;
      const rows = (
        await client.query<AuditRow>(
          `SELECT id, researcher_id, username, action, detail, at FROM audit_log WHERE study_id = $1
           ORDER BY id DESC LIMIT $2 OFFSET $3`,
          [studyId, page.limit, page.offset],
        )
      ).rows;
      return { total: count?.n ?? 0, items: rows.map(toAudit) };
    }, 'serializable');
  }
}
