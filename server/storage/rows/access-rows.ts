import {
  AuditActionSchema,
  StudyRoleSchema,
  type AuditEntry,
  type StudyMember,
} from '../../../shared/schemas/study-access.ts';
import type { NewAuditEntry } from '../study-access-storage.ts';

// The study-access rows (migration 017) and their mappers, for both engines: the same columns and types (PostgreSQL's
// BIGINT audit id arrives as a number, see postgres/pg-database.ts).

export interface MemberRow {
  researcher_id: string;
  username: string;
  role: string;
  added_at: string;
  added_by: string | null;
}

export interface AuditRow {
  id: number;
  researcher_id: string;
  username: string;
  action: string;
  detail: string;
  at: string;
}

/** Members with their usernames; the caller adds its WHERE in its engine's parameter style. */
export const MEMBER_SELECT = `SELECT m.researcher_id, r.username, m.role, m.added_at, m.added_by
  FROM study_members m JOIN researchers r ON r.id = m.researcher_id`;

/** Why a change or removal that would leave a study without an owner is refused. */
export const LAST_OWNER = 'a study keeps at least one owner: make someone else owner first';

// The columns' CHECKs allow only these; parsing keeps a hand-edited row from passing as one.
export function toMember(row: MemberRow): StudyMember {
  return {
    researcherId: row.researcher_id,
    username: row.username,
    role: StudyRoleSchema.parse(row.role),
    addedAt: row.added_at,
    addedBy: row.added_by,
  };
}

export function toAudit(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    researcherId: row.researcher_id,
    username: row.username,
    action: AuditActionSchema.parse(row.action),
    detail: row.detail,
  };
}

/** What recordAudit answers for the entry it stored under `id`. */
export function storedAudit(id: number, at: string, entry: NewAuditEntry): AuditEntry {
  return {
    id,
    at,
    researcherId: entry.researcherId,
    username: entry.username,
    action: entry.action,
    detail: entry.detail,
  };
}
