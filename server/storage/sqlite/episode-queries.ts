import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { EpisodeEventSchema, type EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSummary, RunInput } from '../episode-storage.ts';
import { episodeRowToSummary, type EpisodeRow } from '../rows/episode-rows.ts';
import { cachedStatement } from './statement-cache.ts';
import { AppError } from '../../../shared/errors.ts';

export function createRun(db: Database.Database, input: RunInput): { id: string } {
  const id = randomUUID();
  cachedStatement(
    db,
    'INSERT INTO runs (id, created_at, benchmark_sha256, benchmark_path, out_path, options_json) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(
    id,
    new Date().toISOString(),
    input.benchmarkSha256,
    input.benchmarkPath,
    input.outPath,
    JSON.stringify(input.options),
  );
  return { id };
}

export function saveEpisode(db: Database.Database, s: EpisodeSummary, events: readonly EpisodeEvent[]): void {
  const insertEpisode = cachedStatement(
    db,
    `INSERT INTO episodes (id, run_id, problem_id, persona_id, mode, user_type, user_seat, status, weighted_score, correct,
       interaction_turns, assistant_model, judge_model, simulator_model, failure_stage, failure_reason, started_at, ended_at)
     VALUES (@id, @run_id, @problem_id, @persona_id, @mode, @user_type, @user_seat, @status, @weighted_score, @correct,
       @interaction_turns, @assistant_model, @judge_model, @simulator_model, @failure_stage, @failure_reason, @started_at, @ended_at)`,
  );
  const insertEvent = cachedStatement(
    db,
    'INSERT INTO episode_events (episode_id, seq, type, json) VALUES (?, ?, ?, ?)',
  );
  // Serialized before the transaction: on a busy server the write lock is held only for the inserts themselves.
  const eventRows = events.map((event) => [s.id, event.seq, event.type, JSON.stringify(event)] as const);
  db.transaction(() => {
    try {
      insertEpisode.run({
        id: s.id,
        run_id: s.runId,
        problem_id: s.problemId,
        persona_id: s.personaId,
        mode: s.mode,
        user_type: s.userType,
        user_seat: s.userSeat,
        status: s.status,
        weighted_score: s.weightedScore,
        correct: s.correct,
        interaction_turns: s.interactionTurns,
        assistant_model: s.assistantModel,
        judge_model: s.judgeModel,
        simulator_model: s.simulatorModel,
        failure_stage: s.failure?.stage ?? null,
        failure_reason: s.failure?.reason ?? null,
        started_at: s.startedAt,
        ended_at: s.endedAt,
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new AppError('conflict', `episode ${s.id} is already stored`);
      throw error;
    }
    for (const row of eventRows) insertEvent.run(...row);
  })();
}

export function abortUnrecordedEpisodes(
  db: Database.Database,
  runId: string,
  recorded: readonly string[],
  reason: string,
): number {
  return cachedStatement(
    db,
    `UPDATE episodes SET status = 'aborted', failure_stage = 'internal', failure_reason = ?
     WHERE run_id = ? AND status = 'completed' AND id NOT IN (SELECT value FROM json_each(?))`,
  ).run(reason, runId, JSON.stringify(recorded)).changes;
}

export function getEpisode(
  db: Database.Database,
  id: string,
): { summary: EpisodeSummary; events: EpisodeEvent[] } | null {
  const row = cachedStatement(db, 'SELECT * FROM episodes WHERE id = ?').get(id) as EpisodeRow | undefined;
  if (!row) return null;
  const events = (
    cachedStatement(db, 'SELECT json FROM episode_events WHERE episode_id = ? ORDER BY seq').pluck().all(id) as string[]
  ).map((json) => EpisodeEventSchema.parse(JSON.parse(json)));
  return { summary: episodeRowToSummary(row), events };
}

export function listEpisodes(
  db: Database.Database,
  filter: { runId?: string; limit?: number; offset?: number },
): EpisodeSummary[] {
  const limit = Math.min(filter.limit ?? 1000, 100_000);
  const offset = Math.max(0, filter.offset ?? 0);
  const rows = (
    filter.runId === undefined
      ? cachedStatement(db, 'SELECT * FROM episodes ORDER BY started_at, id LIMIT ? OFFSET ?').all(limit, offset)
      : cachedStatement(db, 'SELECT * FROM episodes WHERE run_id = ? ORDER BY started_at, id LIMIT ? OFFSET ?').all(
          filter.runId,
          limit,
          offset,
        )
  ) as EpisodeRow[];
  return rows.map(episodeRowToSummary);
}

export function countEpisodes(db: Database.Database, filter: { runId?: string }): number {
  return (
    filter.runId === undefined
      ? cachedStatement(db, 'SELECT COUNT(*) FROM episodes').pluck().get()
      : cachedStatement(db, 'SELECT COUNT(*) FROM episodes WHERE run_id = ?').pluck().get(filter.runId)
  ) as number;
}
