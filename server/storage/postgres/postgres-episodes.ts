import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import { EpisodeEventSchema, type EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary, RunInput } from '../episode-storage.ts';
import { episodeRowToSummary, type EpisodeRow } from '../rows/episode-rows.ts';
import { isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';
import { MAX_PARAMS, valuesPlaceholders } from './pg-values.ts';

export async function createRun(db: PgDatabase, input: RunInput): Promise<{ id: string }> {
  const id = randomUUID();
  await db.rows(
    'INSERT INTO runs (id, created_at, benchmark_sha256, benchmark_path, out_path, options_json) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      id,
      new Date().toISOString(),
      input.benchmarkSha256,
      input.benchmarkPath,
      input.outPath,
      JSON.stringify(input.options),
    ],
  );
  return { id };
}

/** Inserts an episode row; `conflict` if the id is taken. Runs inside the caller's transaction. */
export async function insertEpisodeRow(client: Queryable, s: EpisodeSummary): Promise<void> {
  try {
    await client.query(
      `INSERT INTO episodes (id, run_id, problem_id, persona_id, mode, user_type, user_seat, status, weighted_score,
         correct, interaction_turns, assistant_model, judge_model, simulator_model, failure_stage, failure_reason,
         started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        s.id,
        s.runId,
        s.problemId,
        s.personaId,
        s.mode,
        s.userType,
        s.userSeat,
        s.status,
        s.weightedScore,
        s.correct,
        s.interactionTurns,
        s.assistantModel,
        s.judgeModel,
        s.simulatorModel,
        s.failure?.stage ?? null,
        s.failure?.reason ?? null,
        s.startedAt,
        s.endedAt,
      ],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `episode ${s.id} is already stored`);
    throw error;
  }
}

/** Appends events, as many per statement as PostgreSQL's parameter limit allows (one round trip for most logs). */
export async function insertEvents(
  client: Queryable,
  episodeId: string,
  events: readonly EpisodeEvent[],
): Promise<void> {
  const perStatement = Math.floor(MAX_PARAMS / 4);
  for (let i = 0; i < events.length; i += perStatement) {
    const part = events.slice(i, i + perStatement);
    await client.query(
      `INSERT INTO episode_events (episode_id, seq, type, json) VALUES ${valuesPlaceholders(part.length, 4)}`,
      part.flatMap((e) => [episodeId, e.seq, e.type, JSON.stringify(e)]),
    );
  }
}

export async function saveEpisode(db: PgDatabase, s: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
  await db.transaction(async (client) => {
    await insertEpisodeRow(client, s);
    await insertEvents(client, s.id, events);
  });
}

export async function getEpisode(
  db: PgDatabase,
  id: string,
): Promise<{ summary: EpisodeSummary; events: EpisodeEvent[] } | null> {
  // One snapshot for both reads: an episode deleted between them would otherwise come back without its events.
  return db.transaction(async (client) => {
    const [row] = (await client.query<EpisodeRow>('SELECT * FROM episodes WHERE id = $1', [id])).rows;
    if (!row) return null;
    const events = (
      await client.query<{ json: string }>('SELECT json FROM episode_events WHERE episode_id = $1 ORDER BY seq', [id])
    ).rows.map((r) => EpisodeEventSchema.parse(JSON.parse(r.json)));
    return { summary: episodeRowToSummary(row), events };
  }, 'serializable');
}

export async function listEpisodes(
  db: PgDatabase,
  filter: { runId?: string; limit?: number; offset?: number },
): Promise<EpisodeSummary[]> {
  const limit = Math.min(filter.limit ?? 1000, 100_000);
  const offset = Math.max(0, filter.offset ?? 0);
  // COLLATE "C": byte order, as SQLite compares text, whatever the database's default collation.
  const rows =
    filter.runId === undefined
      ? await db.rows<EpisodeRow>(
          'SELECT * FROM episodes ORDER BY started_at COLLATE "C", id COLLATE "C" LIMIT $1 OFFSET $2',
          [limit, offset],
        )
      : await db.rows<EpisodeRow>(
          'SELECT * FROM episodes WHERE run_id = $1 ORDER BY started_at COLLATE "C", id COLLATE "C" LIMIT $2 OFFSET $3',
          [filter.runId, limit, offset],
        );
  return rows.map(episodeRowToSummary);
}

export async function abortUnrecordedEpisodes(
  db: PgDatabase,
  runId: string,
  recorded: readonly string[],
  reason: string,
): Promise<number> {
  // The ids as one JSON parameter: pg escapes a text[] parameter character by character in JavaScript.
  const rows = await db.rows<{ id: string }>(
    `UPDATE episodes SET status = 'aborted', failure_stage = 'internal', failure_reason = $1
     WHERE run_id = $2 AND status = 'completed' AND id NOT IN (SELECT jsonb_array_elements_text($3::jsonb))
     RETURNING id`,
    [reason, runId, JSON.stringify(recorded)],
  );
  return rows.length;
}

export async function countEpisodes(db: PgDatabase, filter: { runId?: string }): Promise<number> {
  const [row] =
    filter.runId === undefined
      ? await db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM episodes')
      : await db.rows<{ n: number }>('SELECT COUNT(*) AS n FROM episodes WHERE run_id = $1', [filter.runId]);
  return row?.n ?? 0;
}
