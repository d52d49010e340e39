import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.ts';
import type { RecordSummary, Study } from '../../../shared/schemas/study.ts';
import type { Page, StudyCounts } from '../storage.ts';
import {
  STUDY_COUNTS_SELECT,
  toRecordSummary,
  toStudy,
  toStudyCounts,
  type RecordSummaryRow,
  type StudyCountsRow,
  type StudyRow,
} from '../rows/study-rows.ts';
import { cachedStatement } from './statement-cache.ts';

/** Studies and their record list on SQLite: SqliteStorage's study methods, each one statement. */

export function createStudy(db: Database.Database, input: { name: string; description?: string }): Study {
  const row: StudyRow = {
    id: randomUUID(),
    name: input.name,
    description: input.description ?? '',
    created_at: new Date().toISOString(),
  };
  try {
    db.prepare(
      'INSERT INTO studies (id, name, description, created_at) VALUES (@id, @name, @description, @created_at)',
    ).run(row);
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new AppError('conflict', `a study named "${input.name}" already exists`);
    }
    throw error;
  }
  return toStudy(row);
}

export function getStudy(db: Database.Database, id: string): Study | null {
  const row = cachedStatement(db, 'SELECT * FROM studies WHERE id = ?').get(id) as StudyRow | undefined;
  return row ? toStudy(row) : null;
}

export function findStudyByName(db: Database.Database, name: string): Study | null {
  const row = db.prepare('SELECT * FROM studies WHERE name = ?').get(name) as StudyRow | undefined;
  return row ? toStudy(row) : null;
}

export function listStudies(db: Database.Database): StudyCounts[] {
  const rows = db.prepare(`${STUDY_COUNTS_SELECT} ORDER BY s.created_at, s.name`).all() as StudyCountsRow[];
  return rows.map(toStudyCounts);
}

export function listRecords(
  db: Database.Database,
  studyId: string,
  page: { offset: number; limit: number },
): Page<RecordSummary> {
  const total = db.prepare('SELECT COUNT(*) FROM visible_records WHERE study_id = ?').pluck().get(studyId) as number;
  const rows = db
    .prepare(
      `SELECT problem_id, persona_id, persona_name, task, question_preview, preference_count, criterion_count
       FROM visible_records WHERE study_id = ? ORDER BY file_id, line LIMIT ? OFFSET ?`,
    )
    .all(studyId, page.limit, page.offset) as RecordSummaryRow[];
  return { total, items: rows.map(toRecordSummary) };
}
