import type { RecordSummary, Study } from '../../../shared/schemas/study.ts';
import type { StudyCounts } from '../storage.ts';

// The studies and record-list rows and their mappers, for both engines: the same columns and types (counts are
// numbers on both; PostgreSQL's int8 through the parser in postgres/pg-database.ts).

export interface StudyRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
}

/** A study with what the study list counts for it. */
export interface StudyCountsRow extends StudyRow {
  record_count: number;
  persona_count: number;
  file_count: number;
}

/** A `visible_records` row as the record list reads it. */
export interface RecordSummaryRow {
  problem_id: string;
  persona_id: string;
  persona_name: string;
  task: string;
  question_preview: string;
  preference_count: number;
  criterion_count: number;
}

/** The study list's query, the same on both engines but for the ordering's collation (appended by the caller). */
export const STUDY_COUNTS_SELECT = `SELECT s.*,
  (SELECT COUNT(*) FROM visible_records r WHERE r.study_id = s.id) AS record_count,
  (SELECT COUNT(DISTINCT persona_id) FROM visible_records r WHERE r.study_id = s.id) AS persona_count,
  (SELECT COUNT(*) FROM benchmark_files f WHERE f.study_id = s.id AND f.status = 'done') AS file_count
  FROM studies s`;

export function toStudy(row: StudyRow): Study {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at };
}

export function toStudyCounts(r: StudyCountsRow): StudyCounts {
  return { ...toStudy(r), recordCount: r.record_count, personaCount: r.persona_count, fileCount: r.file_count };
}

export function toRecordSummary(r: RecordSummaryRow): RecordSummary {
  return {
    problemId: r.problem_id,
    personaId: r.persona_id,
    personaName: r.persona_name,
    task: r.task,
    question: r.question_preview,
    preferenceCount: r.preference_count,
    criterionCount: r.criterion_count,
  };
}
