import type Database from 'better-sqlite3';
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
import { cachedStatement } from './statement-cache.ts';

export class SqliteStudyAccessStorage implements StudyAccessStorage {
  constructor(private readonly db: Database.Database) {}

  private member(studyId: string, researcherId: string): StudyMember | null {
    const row = cachedStatement(this.db, `${MEMBER_SELECT} WHERE m.study_id = ? AND m.researcher_id = ?`).get(
      studyId,
      researcherId,
    ) as MemberRow | undefined;
    return row ? toMember(row) : null;
  }

  private otherOwners(studyId: string, researcherId: string): number {
    return cachedStatement(
      this.db,
      "SELECT COUNT(*) FROM study_members WHERE study_id = ? AND role = 'owner' AND researcher_id <> ?",
    )
      .pluck()
      .get(studyId, researcherId) as number;
  }

  async roleOf(studyId: string, researcherId: string): Promise<StudyRole | null> {
    const role = cachedStatement(this.db, 'SELECT role FROM study_members WHERE study_id = ? AND researcher_id = ?')
      .pluck()
      .get(studyId, researcherId) as string | undefined;
    return role === undefined ? null : StudyRoleSchema.parse(role);
  }

  async rolesOf(researcherId: string): Promise<Map<string, StudyRole>> {
    const rows = cachedStatement(this.db, 'SELECT study_id, role FROM study_members WHERE researcher_id = ?').all(
      researcherId,
    ) as { study_id: string; role: string }[];
    return new Map(rows.map((r) => [r.study_id, StudyRoleSchema.parse(r.role)]));
  }

  async listMembers(studyId: string): Promise<StudyMember[]> {
    const rows = cachedStatement(
      this.db,
      `${MEMBER_SELECT} WHERE m.study_id = ?
       ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'collaborator' THEN 1 ELSE 2 END, r.username COLLATE NOCASE`,
    ).all(studyId) as MemberRow[];
    return rows.map(toMember);
  }

  async addMember(input: NewStudyMember): Promise<StudyMember> {
    return this.db
      .transaction((): StudyMember => {
        if (!cachedStatement(this.db, 'SELECT 1 FROM studies WHERE id = ?').get(input.studyId))
          throw new AppError('not_found', 'no such study');
        if (!cachedStatement(this.db, 'SELECT 1 FROM researchers WHERE id = ?').get(input.researcherId))
          throw new AppError('not_found', 'no such researcher');
        if (this.member(input.studyId, input.researcherId))
          throw new AppError('conflict', 'this researcher already has a role in the study');
        cachedStatement(
          this.db,
          'INSERT INTO study_members (study_id, researcher_id, role, added_at, added_by) VALUES (?, ?, ?, ?, ?)',
        ).run(input.studyId, input.researcherId, input.role, input.now.toISOString(), input.addedBy);
        const added = this.member(input.studyId, input.researcherId);
        if (!added) throw new Error('study member vanished after insert');
        return added;
      })
      .immediate();
  }

  async changeMember(studyId: string, researcherId: string, role: StudyRole): Promise<StudyMember> {
    return this.db
      .transaction((): StudyMember => {
        const current = this.member(studyId, researcherId);
        if (!current) throw new AppError('not_found', 'this researcher has no role in the study');
        if (current.role === 'owner' && role !== 'owner' && this.otherOwners(studyId, researcherId) === 0)
          throw new AppError('conflict', LAST_OWNER);
        cachedStatement(this.db, 'UPDATE study_members SET role = ? WHERE study_id = ? AND researcher_id = ?').run(
          role,
          studyId,
          researcherId,
        );
        return { ...current, role };
      })
      .immediate();
  }

  async removeMember(studyId: string, researcherId: string): Promise<void> {
    this.db
      .transaction((): void => {
        const current = this.member(studyId, researcherId);
        if (!current) throw new AppError('not_found', 'this researcher has no role in the study');
        if (current.role === 'owner' && this.otherOwners(studyId, researcherId) === 0)
          throw new AppError('conflict', LAST_OWNER);
        cachedStatement(this.db, 'DELETE FROM study_members WHERE study_id = ? AND researcher_id = ?').run(
          studyId,
          researcherId,
        );
      })
      .immediate();
  }

  async adoptUnclaimedStudies(researcherId: string, now: Date): Promise<string[]> {
    return this.db
      .transaction((): string[] => {
        const ids = cachedStatement(
          this.db,
          'SELECT id FROM studies s WHERE NOT EXISTS (SELECT 1 FROM study_members m WHERE m.study_id = s.id)',
        )
          .pluck()
          .all() as string[];
        const insert = cachedStatement(
          this.db,
          "INSERT INTO study_members (study_id, researcher_id, role, added_at, added_by) VALUES (?, ?, 'owner', ?, NULL)",
        );
        for (const id of ids) insert.run(id, researcherId, now.toISOString());
        return ids;
      })
      .immediate();
  }

  async someResearchers(limit: number): Promise<{ id: string; username: string }[]> {
    return cachedStatement(this.db, 'SELECT id, username FROM researchers ORDER BY created_at, id LIMIT ?').all(
      limit,
    ) as { id: string; username: string }[];
  }

  async studyOfRun(runId: string): Promise<string | null> {
    const id = cachedStatement(this.db, 'SELECT study_id FROM runs WHERE id = ?').pluck().get(runId) as
      string | null | undefined;
    return id ?? null;
  }

  async studyOfEpisode(episodeId: string): Promise<string | null> {
    const id = cachedStatement(
      this.db,
      `SELECT COALESCE(e.study_id, r.study_id, t.study_id)
       FROM episodes e LEFT JOIN runs r ON r.id = e.run_id LEFT JOIN episodes t ON t.id = e.twin_of
       WHERE e.id = ?`,
    )
      .pluck()
      .get(episodeId) as string | null | undefined;
    return id ?? null;
  }

  async recordAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const at = entry.now.toISOString();
    const id = cachedStatement(
      this.db,
      `INSERT INTO audit_log (study_id, researcher_id, username, action, detail, at) VALUES (?, ?, ?, ?, ?, ?)
       RETURNING id`,
    )
      .pluck()
      .get(entry.studyId, entry.researcherId, entry.username, entry.action, entry.detail, at) as number;
    return storedAudit(id, at, entry);
  }

  async listAudit(studyId: string, page: { offset: number; limit: number }): Promise<Page<AuditEntry>> {
    const total = cachedStatement(this.db, 'SELECT COUNT(*) FROM audit_log WHERE study_id = ?')
      .pluck()
      .get(studyId) as number;
    const rows = cachedStatement(
      this.db,
      `SELECT id, researcher_id, username, action, detail, at FROM audit_log WHERE study_id = ?
       ORDER BY id DESC LIMIT ? OFFSET ?`,
    ).all(studyId, page.limit, page.offset) as AuditRow[];
    return { total, items: rows.map(toAudit) };
  }
}
