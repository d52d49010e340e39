import type Database from 'better-sqlite3';
import { outcomeReplaces, type ParticipantOutcomeKind } from '../../../shared/schemas/participant-outcome.ts';
import type { ParticipantOutcome } from '../study-work-storage.ts';
import { OUTCOME_COLUMNS, toOutcome, type OutcomeRow } from '../rows/outcome-rows.ts';
import { cachedStatement } from './statement-cache.ts';

export function getOutcome(db: Database.Database, participantId: string): ParticipantOutcome | null {
  const row = cachedStatement(db, `SELECT ${OUTCOME_COLUMNS} FROM participant_outcomes WHERE participant_id = ?`).get(
    participantId,
  ) as OutcomeRow | undefined;
  return row ? toOutcome(row) : null;
}

/** Inside the caller's transaction: stores `next` unless the stored outcome outranks it; returns the one in force. */
export function recordOutcome(
  db: Database.Database,
  next: { studyId: string; participantId: string; outcome: ParticipantOutcomeKind; completionCode: string | null },
  now: Date,
): ParticipantOutcome {
  const current = getOutcome(db, next.participantId);
  if (current && !outcomeReplaces(current.outcome, next.outcome)) return current;
  cachedStatement(
    db,
    `INSERT INTO participant_outcomes (participant_id, study_id, outcome, completion_code, ended_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (participant_id) DO UPDATE SET study_id = excluded.study_id, outcome = excluded.outcome,
       completion_code = excluded.completion_code, ended_at = excluded.ended_at`,
  ).run(next.participantId, next.studyId, next.outcome, next.completionCode, now.toISOString());
  return { ...next, endedAt: now.toISOString() };
}
