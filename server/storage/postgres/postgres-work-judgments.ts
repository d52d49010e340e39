import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { RatingFlag } from '../../../shared/schemas/assignment-progress.ts';
import type { LatestJudgment, NewFlag, ReviseOutcome, Revision } from '../study-work-storage.ts';
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
import type { Queryable } from './pg-database.ts';
import { countRatings } from './postgres-work-rating.ts';
import { countOf, firstRow, rowsOf } from './postgres-work-sql.ts';

/**
 * A rater changing their mind and flagging items, on PostgreSQL (mirrors sqlite/rating-judgment-queries.ts). A
 * rater's judgments are ordered by when their leases completed: a lease completes exactly when its rating or "can't
 * judge" is stored, and a revision leaves it alone.
 */

async function latestRow(c: Queryable, studyId: string, participantId: string): Promise<LatestRow | undefined> {
  return firstRow<LatestRow>(
    c,
    `SELECT ${LATEST_COLUMNS}
    FROM rating_leases l JOIN rating_candidates c ON c.id = l.candidate_id
    WHERE l.study_id = $1 AND l.participant_id = $2 AND l.status = 'completed'
    ORDER BY l.ended_at COLLATE "C" DESC, l.rowid DESC LIMIT 1`,
    [studyId, participantId],
  );
}

export async function latestJudgment(
  c: Queryable,
  studyId: string,
  participantId: string,
): Promise<LatestJudgment | null> {
  const row = await latestRow(c, studyId, participantId);
  if (!hasJudgment(row)) return null;
  return toLatestJudgment(row, await countRatings(c, studyId, participantId));
}

/** Runs under the study's lock: can't judge turning into a rating checks the answer's k. */
export async function reviseLatest(c: Queryable, r: Revision, settings: LiveStudySettings): Promise<ReviseOutcome> {
  const row = await latestRow(c, r.studyId, r.participantId);
  if (!hasJudgment(row) || row.item_id !== r.itemId) return { kind: 'not_latest' };
  const now = r.now.toISOString();
  const v = r.verdict;
  if (v.kind === 'scores' && row.rating_id !== null) {
    await c.query(
      `UPDATE ratings SET scores_json = $1, correct = $2, justification = $3, attention_passed = $4,
      seconds_spent = seconds_spent + $5, revised_at = $6 WHERE id = $7`,
      [
        JSON.stringify(v.scores),
        v.correct,
        v.justification,
        attentionValue(v.attentionPassed),
        r.secondsSpent,
        now,
        row.rating_id,
      ],
    );
  } else if (v.kind === 'cant_judge' && row.skip_id !== null) {
    await c.query(
      `UPDATE rating_skips SET reason = $1, note = $2, seconds_spent = seconds_spent + $3, revised_at = $4
      WHERE id = $5`,
      [v.reason, v.note, r.secondsSpent, now, row.skip_id],
    );
  } else if (v.kind === 'scores' && row.skip_id !== null) {
    // Can't judge becomes a rating: it now counts toward the answer's k, which stays a ceiling.
    const isGold = row.gold_json !== null;
    const rated = await countOf(c, 'SELECT COUNT(*) AS n FROM ratings WHERE candidate_id = $1', [row.candidate_id]);
    if (!isGold && rated >= settings.raterOverlap) return { kind: 'answer_full' };
    const skip = (await firstRow<{ seconds_spent: number; created_at: string }>(
      c,
      'DELETE FROM rating_skips WHERE id = $1 RETURNING seconds_spent, created_at',
      [row.skip_id],
    )) as { seconds_spent: number; created_at: string };
    await c.query(
      `INSERT INTO ratings (${RATING_INSERT_COLUMNS}, revised_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [...ratingValues(keyOf(row, r), v, skip.seconds_spent + r.secondsSpent, skip.created_at), now],
    );
  } else if (v.kind === 'cant_judge' && row.rating_id !== null) {
    const rating = (await firstRow<{ seconds_spent: number; created_at: string }>(
      c,
      'DELETE FROM ratings WHERE id = $1 RETURNING seconds_spent, created_at',
      [row.rating_id],
    )) as { seconds_spent: number; created_at: string };
    await c.query(
      `INSERT INTO rating_skips (${SKIP_INSERT_COLUMNS}, revised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [...skipValues(keyOf(row, r), v, rating.seconds_spent + r.secondsSpent, rating.created_at), now],
    );
  }
  return { kind: 'revised', rated: await countRatings(c, r.studyId, r.participantId) };
}

export async function countSkips(c: Queryable, studyId: string, participantId: string): Promise<number> {
  return countOf(c, 'SELECT COUNT(*) AS n FROM rating_skips WHERE study_id = $1 AND participant_id = $2', [
    studyId,
    participantId,
  ]);
}

/** The rater's attention checks: gold ratings, plus gold items they could not judge (counted as not passed). */
export async function attentionTally(
  c: Queryable,
  studyId: string,
  participantId: string,
): Promise<{ checked: number; passed: number }> {
  const row = await firstRow<{ checked: number; passed: number; skipped: number }>(
    c,
    `SELECT
      (SELECT COUNT(attention_passed) FROM ratings WHERE study_id = $1 AND participant_id = $2) AS checked,
      (SELECT COALESCE(SUM(attention_passed), 0) FROM ratings WHERE study_id = $1 AND participant_id = $2) AS passed,
      (SELECT COUNT(*) FROM rating_skips s JOIN rating_candidates c ON c.id = s.candidate_id
        WHERE s.study_id = $1 AND s.participant_id = $2 AND c.is_gold = 1) AS skipped`,
    [studyId, participantId],
  );
  return { checked: Number(row?.checked ?? 0) + Number(row?.skipped ?? 0), passed: Number(row?.passed ?? 0) };
}

/** A flag on an item the rater holds or has judged; the upsert makes a second flag replace the first. */
export async function storeFlag(c: Queryable, f: NewFlag): Promise<boolean> {
  const candidate = await firstRow<{ id: number }>(
    c,
    'SELECT id FROM rating_candidates WHERE study_id = $1 AND item_id = $2',
    [f.studyId, f.itemId],
  );
  if (!candidate) return false;
  const hadIt = await firstRow(c, 'SELECT 1 FROM rating_leases WHERE candidate_id = $1 AND participant_id = $2', [
    candidate.id,
    f.participantId,
  ]);
  if (hadIt === undefined) return false;
  await c.query(
    `INSERT INTO rating_flags (candidate_id, study_id, participant_id, kind, note, created_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (candidate_id, participant_id) DO UPDATE SET kind = excluded.kind, note = excluded.note,
      created_at = excluded.created_at`,
    [candidate.id, f.studyId, f.participantId, f.kind, f.note, f.now.toISOString()],
  );
  return true;
}

export async function listFlags(c: Queryable, studyId: string): Promise<RatingFlag[]> {
  const rows = await rowsOf<FlagRow>(
    c,
    `SELECT ${FLAG_COLUMNS} FROM rating_flags f JOIN rating_candidates c ON c.id = f.candidate_id WHERE f.study_id = $1 ORDER BY f.id`,
    [studyId],
  );
  return rows.map(toRatingFlag);
}
