import type { ProlificIds } from '../people-storage.ts';
import type { ParticipantCursor, StudyParticipant } from '../research-storage.ts';
import {
  toProlificIds,
  toStudyParticipants,
  type EventTimeRow,
  type ExportParticipantRow,
  type PlayCountsRow,
  type ProlificIdsRow,
  type RatingCountsRow,
  type RatingTimeRow,
  type SkipCountsRow,
} from '../rows/participant-export-rows.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';

/**
 * The participants export's read on PostgreSQL (sqlite/participant-export-queries.ts): one page of a study's
 * participants with their plays, ratings, activity times and stored outcome. $1 is the study, $2 the page's ids.
 */

// Live episodes a person played; the twin_of test keeps a simulated play from ever counting as the person's.
const PLAYED = 'e.study_id = $1 AND e.participant_id = ANY($2::text[]) AND e.twin_of IS NULL';
const IDLE_TIMEOUT = `EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'episode_failed'
                       AND v.json::jsonb ->> 'code' = 'idle_timeout')`;

export async function studyParticipantsPage(
  db: Queryable,
  studyId: string,
  page: { after: ParticipantCursor | null; limit: number },
): Promise<StudyParticipant[]> {
  const rows = (
    await db.query<ExportParticipantRow>(
      `SELECT p.*, o.outcome, o.completion_code, o.ended_at FROM participants p
       LEFT JOIN participant_outcomes o ON o.participant_id = p.id
       WHERE p.study_id = $1
         AND ($2::text IS NULL OR p.created_at COLLATE "C" > $2
              OR (p.created_at = $2 AND p.id COLLATE "C" > $3))
       ORDER BY p.created_at COLLATE "C", p.id COLLATE "C" LIMIT $4`,
      [studyId, page.after?.createdAt ?? null, page.after?.id ?? '', page.limit],
    )
  ).rows;
  if (rows.length === 0) return [];
  const params = [studyId, rows.map((r) => r.id)];

  const plays = (
    await db.query<PlayCountsRow>(
      `SELECT e.participant_id,
         COUNT(*) AS started,
         COUNT(*) FILTER (WHERE e.status = 'completed') AS completed,
         COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id
           AND v.type = 'actor_rated')) AS self_rated,
         COUNT(*) FILTER (WHERE ${IDLE_TIMEOUT}) AS timed_out,
         -- Disjoint from timed_out: a play ended by the idle timeout is stored as failed too.
         COUNT(*) FILTER (WHERE e.status IN ('failed', 'aborted') AND NOT ${IDLE_TIMEOUT}) AS otherwise_ended
       FROM episodes e WHERE ${PLAYED} GROUP BY e.participant_id`,
      params,
    )
  ).rows;
  const ratings = (
    await db.query<RatingCountsRow>(
      `SELECT participant_id, COUNT(*) AS done, COUNT(attention_passed) AS checked,
         COALESCE(SUM(attention_passed), 0) AS passed
       FROM ratings WHERE study_id = $1 AND participant_id = ANY($2::text[])
       GROUP BY participant_id`,
      params,
    )
  ).rows;
  const skips = (
    await db.query<SkipCountsRow>(
      `SELECT s.participant_id, COUNT(*) AS skipped, COALESCE(SUM(c.is_gold), 0) AS gold_skipped
       FROM rating_skips s JOIN rating_candidates c ON c.id = s.candidate_id
       WHERE s.study_id = $1 AND s.participant_id = ANY($2::text[])
       GROUP BY s.participant_id`,
      params,
    )
  ).rows;
  const eventTimes = (
    await db.query<EventTimeRow>(
      `SELECT e.participant_id AS participant_id, v.json::jsonb ->> 'at' AS at
       FROM episodes e JOIN episode_events v ON v.episode_id = e.id
       WHERE ${PLAYED} AND v.type <> 'episode_failed' ORDER BY (v.json::jsonb ->> 'at') COLLATE "C"`,
      params,
    )
  ).rows;
  const ratingTimes = (
    await db.query<RatingTimeRow>(
      `SELECT * FROM (
         SELECT participant_id, created_at, seconds_spent FROM ratings
         WHERE study_id = $1 AND participant_id = ANY($2::text[])
         UNION ALL
         SELECT participant_id, created_at, seconds_spent FROM rating_skips
         WHERE study_id = $1 AND participant_id = ANY($2::text[])
       ) judged ORDER BY created_at COLLATE "C"`,
      params,
    )
  ).rows;
  return toStudyParticipants(rows, { plays, ratings, skips, eventTimes, ratingTimes });
}

/** The Prolific ids of the given participants (one statement for any number of them). */
export async function prolificIdsOf(
  db: PgDatabase,
  participantIds: readonly string[],
): Promise<Map<string, ProlificIds>> {
  const rows = await db.rows<ProlificIdsRow>(
    'SELECT id, prolific_pid, prolific_study_id, prolific_session_id FROM participants WHERE id = ANY($1::text[])',
    [[...new Set(participantIds)]],
  );
  return toProlificIds(rows);
}
