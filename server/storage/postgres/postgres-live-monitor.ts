import type { LiveActivity, LiveTally } from '../live-storage.ts';
import {
  toLiveActivity,
  toLiveTally,
  type ActivityRow,
  type FailureCountRow,
  type StatusCountRow,
} from '../rows/live-tally-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/** A live episode of the study: a person played it (twins and batch episodes have no participant). */
const OF_STUDY = 'study_id = $1 AND participant_id IS NOT NULL';

/** LiveEpisodeStorage.tally on PostgreSQL: the same three aggregates as on SQLite (sqlite/live-monitor-queries.ts). */
export async function liveTally(db: PgDatabase, studyId: string, maxFailures: number): Promise<LiveTally> {
  const [statuses, failures, models] = await Promise.all([
    db.rows<StatusCountRow>(`SELECT status, COUNT(*) AS n FROM episodes WHERE ${OF_STUDY} GROUP BY status`, [studyId]),
    db.rows<FailureCountRow>(
      `SELECT failure_stage AS stage, failure_reason AS reason, COUNT(*) AS n FROM episodes
       WHERE ${OF_STUDY} AND status = 'failed' AND failure_stage IS NOT NULL
       GROUP BY failure_stage, failure_reason
       ORDER BY COUNT(*) DESC, failure_stage COLLATE "C", failure_reason COLLATE "C" LIMIT $2`,
      [studyId, maxFailures],
    ),
    db.rows<{ name: string }>(
      `SELECT name FROM (
         SELECT assistant_model AS name FROM episodes WHERE ${OF_STUDY}
         UNION SELECT judge_model FROM episodes WHERE ${OF_STUDY}
         UNION SELECT simulator_model FROM episodes WHERE ${OF_STUDY}) names
       WHERE name IS NOT NULL AND name <> '' ORDER BY name COLLATE "C"`,
      [studyId],
    ),
  ]);
  return toLiveTally(
    statuses,
    failures,
    models.map((r) => r.name),
  );
}

/** LiveEpisodeStorage.activity on PostgreSQL: the replies counted and the last event's time read by the database. */
export async function liveActivity(db: PgDatabase, episodeIds: readonly string[]): Promise<Map<string, LiveActivity>> {
  if (episodeIds.length === 0) return new Map();
  const rows = await db.rows<ActivityRow>(
    `SELECT episode_id,
       COUNT(*) FILTER (WHERE type = 'message' AND json::jsonb ->> 'role' = 'user' AND json::jsonb ->> 'kind' = 'reply')
         AS replies,
       (array_agg(json::jsonb ->> 'at' ORDER BY seq DESC))[1] AS last_at
     FROM episode_events WHERE episode_id = ANY($1::text[]) GROUP BY episode_id`,
    [episodeIds],
  );
  return toLiveActivity(rows);
}
