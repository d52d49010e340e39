import type Database from 'better-sqlite3';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { RatingFlag } from '../../../shared/schemas/assignment-progress.ts';
import type {
  LatestJudgment,
  NewFlag,
  NewSkip,
  ReviseOutcome,
  Revision,
  SubmitOutcome,
} from '../study-work-storage.ts';
import {
  attentionValue,
  FLAG_COLUMNS,
  hasJudgment,
  judgmentKeyOf as keyOf,
  LATEST_COLUMNS,
  RATING_INSERT_COLUMNS,
  ratingValues,
  SKIP_INSERT_COLUMNS,
  skipValues,
  toLatestJudgment,
  toRatingFlag,
  type FlagRow,
  type LatestRow,
} from '../rows/rating-rows.ts';
import { countRatings, hasJudged, usableLease } from './rating-queue-queries.ts';
import { cachedStatement } from './statement-cache.ts';

/**
 * A rater changing their mind, saying they cannot judge, and flagging items, on SQLite. Callers wrap the writes in an
 * immediate transaction. A rater's judgments are ordered by when their leases completed: a lease completes exactly
 * when its rating or "can't judge" is stored, and a revision leaves it alone.
 */

interface CandidateRow {
  id: number;
  is_gold: number;
  problem_id: string;
  gold_json: string | null;
}

function candidateOf(db: Database.Database, studyId: string, itemId: string): CandidateRow | undefined {
  return cachedStatement(
    db,
    'SELECT id, is_gold, problem_id, gold_json FROM rating_candidates WHERE study_id = ? AND item_id = ?',
  ).get(studyId, itemId) as CandidateRow | undefined;
}

export function storeSkip(db: Database.Database, s: NewSkip, settings: LiveStudySettings): SubmitOutcome {
  const candidate = candidateOf(db, s.studyId, s.itemId);
  if (!candidate) return { kind: 'not_leased' };
  if (hasJudged(db, candidate.id, s.participantId)) return { kind: 'already_rated' };
  const now = s.now.toISOString();
  const lease = usableLease(db, candidate, s.participantId, now, settings);
  if (!lease) return { kind: 'not_leased' };
  const key = { candidateId: candidate.id, studyId: s.studyId, participantId: s.participantId, leaseId: lease.id };
  cachedStatement(db, `INSERT INTO rating_skips (${SKIP_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    ...skipValues(key, s, s.secondsSpent, now),
  );
  cachedStatement(db, `UPDATE rating_leases SET status = 'completed', ended_at = ? WHERE id = ?`).run(now, lease.id);
  return { kind: 'stored', rated: countRatings(db, s.studyId, s.participantId) };
}

function latestRow(db: Database.Database, studyId: string, participantId: string): LatestRow | undefined {
  return cachedStatement(
    db,
    `SELECT ${LATEST_COLUMNS}
    FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id
    WHERE l.study_id = ? AND l.participant_id = ? AND l.status = 'completed'
    ORDER BY l.ended_at DESC, l.rowid DESC LIMIT 1`,
  ).get(studyId, participantId) as LatestRow | undefined;
}

export function latestJudgment(db: Database.Database, studyId: string, participantId: string): LatestJudgment | null {
  const row = latestRow(db, studyId, participantId);
  if (!hasJudgment(row)) return null;
  return toLatestJudgment(row, countRatings(db, studyId, participantId));
}

/** Must run inside an immediate transaction. */
export function reviseLatest(db: Database.Database, r: Revision, settings: LiveStudySettings): ReviseOutcome {
  const row = latestRow(db, r.studyId, r.participantId);
  if (!hasJudgment(row) || row.item_id !== r.itemId) return { kind: 'not_latest' };
  const now = r.now.toISOString();
  const v = r.verdict;
  if (v.kind === 'scores' && row.rating_id !== null) {
    cachedStatement(
      db,
      `UPDATE ratings SET scores_json = ?, correct = ?, justification = ?, attention_passed = ?,
      seconds_spent = seconds_spent + ?, revised_at = ? WHERE id = ?`,
    ).run(
      JSON.stringify(v.scores),
      v.correct,
      v.justification,
      attentionValue(v.attentionPassed),
      r.secondsSpent,
      now,
      row.rating_id,
    );
  } else if (v.kind === 'cant_judge' && row.skip_id !== null) {
    cachedStatement(
      db,
      'UPDATE rating_skips SET reason = ?, note = ?, seconds_spent = seconds_spent + ?, revised_at = ? WHERE id = ?',
    ).run(v.reason, v.note, r.secondsSpent, now, row.skip_id);
  } else if (v.kind === 'scores' && row.skip_id !== null) {
    // Can't judge becomes a rating: it now counts toward the answer's k, which stays a ceiling.
    const skip = cachedStatement(db, 'SELECT seconds_spent, created_at FROM rating_skips WHERE id = ?').get(
      row.skip_id,
    ) as { seconds_spent: number; created_at: string };
    const isGold = row.gold_json !== null;
    const rated = cachedStatement(db, 'SELECT COUNT(*) FROM ratings WHERE candidate_id = ?')
      .pluck()
      .get(row.candidate_id) as number;
    if (!isGold && rated >= settings.raterOverlap) return { kind: 'answer_full' };
    cachedStatement(db, 'DELETE FROM rating_skips WHERE id = ?').run(row.skip_id);
    cachedStatement(
      db,
      `INSERT INTO ratings (${RATING_INSERT_COLUMNS}, revised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...ratingValues(keyOf(row, r), v, skip.seconds_spent + r.secondsSpent, skip.created_at), now);
  } else if (v.kind === 'cant_judge' && row.rating_id !== null) {
    const rating = cachedStatement(db, 'SELECT seconds_spent, created_at FROM ratings WHERE id = ?').get(
      row.rating_id,
    ) as { seconds_spent: number; created_at: string };
    cachedStatement(db, 'DELETE FROM ratings WHERE id = ?').run(row.rating_id);
    cachedStatement(
      db,
      `INSERT INTO rating_skips (${SKIP_INSERT_COLUMNS}, revised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...skipValues(keyOf(row, r), v, rating.seconds_spent + r.secondsSpent, rating.created_at), now);
  }
  return { kind: 'revised', rated: countRatings(db, r.studyId, r.participantId) };
}

export function countSkips(db: Database.Database, studyId: string, participantId: string): number {
  return cachedStatement(db, 'SELECT COUNT(*) FROM rating_skips WHERE study_id = ? AND participant_id = ?')
    .pluck()
    .get(studyId, participantId) as number;
}

/** Gold items the rater could not judge: attention checks they did not pass. */
export function goldSkips(db: Database.Database, studyId: string, participantId: string): number {
  return cachedStatement(
    db,
    `SELECT COUNT(*) FROM rating_skips s JOIN rating_candidates c ON c.id = s.candidate_id
    WHERE s.study_id = ? AND s.participant_id = ? AND c.is_gold = 1`,
  )
    .pluck()
    .get(studyId, participantId) as number;
}

/** Must run inside an immediate transaction. */
export function storeFlag(db: Database.Database, f: NewFlag): boolean {
  const candidate = candidateOf(db, f.studyId, f.itemId);
  if (!candidate) return false;
  const hadIt = cachedStatement(db, 'SELECT 1 FROM rating_leases WHERE candidate_id = ? AND participant_id = ?').get(
    candidate.id,
    f.participantId,
  );
  if (hadIt === undefined) return false;
  cachedStatement(
    db,
    `INSERT INTO rating_flags (candidate_id, study_id, participant_id, kind, note, created_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (candidate_id, participant_id) DO UPDATE SET kind = excluded.kind, note = excluded.note,
      created_at = excluded.created_at`,
  ).run(candidate.id, f.studyId, f.participantId, f.kind, f.note, f.now.toISOString());
  return true;
}

export function listFlags(db: Database.Database, studyId: string): RatingFlag[] {
  const rows = cachedStatement(
    db,
    `SELECT ${FLAG_COLUMNS} FROM rating_flags f JOIN rating_candidates c ON c.id = f.candidate_id WHERE f.study_id = ? ORDER BY f.id`,
  ).all(studyId) as FlagRow[];
  return rows.map(toRatingFlag);
}
