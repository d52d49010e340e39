import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import { EpisodeEventSchema, type EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeStatus, EpisodeSummary } from '../episode-storage.ts';
import type { LiveEpisodeInfo, LiveEpisodeStorage } from '../live-storage.ts';
import { isForeignKeyViolation, isUniqueViolation } from './pg-error-codes.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';
import { episodeRowToSummary, toLiveEpisodeInfo, type EpisodeRow, type LiveEpisodeRow } from '../rows/episode-rows.ts';
import { insertEpisodeRow, insertEvents } from './postgres-episodes.ts';

/** Links a stored episode to the live one it is the twin of, in the live episode's study. */
async function linkTwin(client: pg.PoolClient, liveEpisodeId: string, twinId: string): Promise<void> {
  await client.query(
    'UPDATE episodes SET twin_of = $1, study_id = (SELECT study_id FROM episodes WHERE id = $1) WHERE id = $2',
    [liveEpisodeId, twinId],
  );
}

/** One event; a taken seq or an unknown episode is a conflict. */
async function insertEvent(client: Queryable, episodeId: string, event: EpisodeEvent): Promise<void> {
  try {
    await insertEvents(client, episodeId, [event]);
  } catch (error) {
    if (isUniqueViolation(error) || isForeignKeyViolation(error))
      throw new AppError('conflict', `episode ${episodeId} already has an event ${event.seq}, or does not exist`);
    throw error;
  }
}

/**
 * LiveEpisodeStorage on PostgreSQL (sqlite/sqlite-live-storage.ts; migration 005). An append is one short transaction
 * of its own: unlike SQLite's single writer, PostgreSQL commits concurrent appends of different episodes in parallel,
 * so SQLite's group commit per event-loop turn is not needed for correctness (it may still pay for throughput).
 */
export class PostgresLiveStorage implements LiveEpisodeStorage {
  constructor(private readonly db: PgDatabase) {}

  async begin(info: LiveEpisodeInfo): Promise<void> {
    await this.db.transaction(async (client) => {
      await insertEpisodeRow(client, info.summary);
      await client.query(
        'UPDATE episodes SET study_id = $1, participant_id = $2, assignment_id = $3, spec_json = $4 WHERE id = $5',
        [info.studyId, info.participantId, info.assignmentId, JSON.stringify(info.spec), info.summary.id],
      );
    });
  }

  /**
   * The client message id is claimed first (ON CONFLICT DO NOTHING): of two resends at once, the second waits for the
   * first's commit and then finds its seq, so a reply is stored once. A taken seq or an unknown episode rolls the
   * claim back with the event.
   */
  async append(episodeId: string, event: EpisodeEvent): Promise<{ seq: number; duplicate: boolean }> {
    const clientId = event.type === 'message' ? event.clientMessageId : undefined;
    if (clientId === undefined) {
      // Most events: one INSERT, atomic on its own, so no BEGIN and COMMIT round trips (with 200 episodes appending at
      // once on the server's pool, an append waited about a third as long).
      await insertEvent(this.db.pool, episodeId, event);
      return { seq: event.seq, duplicate: false };
    }
    return this.db.transaction(async (client) => {
      if (clientId !== undefined) {
        const claimed = await client
          .query(
            `INSERT INTO episode_client_messages (episode_id, client_message_id, seq) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
            [episodeId, clientId, event.seq],
          )
          .catch((error: unknown) => {
            if (isForeignKeyViolation(error))
              throw new AppError(
                'conflict',
                `episode ${episodeId} already has an event ${event.seq}, or does not exist`,
              );
            throw error;
          });
        if (claimed.rowCount === 0) {
          const [row] = (
            await client.query<{ seq: number }>(
              'SELECT seq FROM episode_client_messages WHERE episode_id = $1 AND client_message_id = $2',
              [episodeId, clientId],
            )
          ).rows;
          if (row) return { seq: row.seq, duplicate: true };
        }
      }
      await insertEvent(client, episodeId, event);
      return { seq: event.seq, duplicate: false };
    });
  }

  async findClientMessage(episodeId: string, clientMessageId: string): Promise<number | null> {
    const [row] = await this.db.rows<{ seq: number }>(
      'SELECT seq FROM episode_client_messages WHERE episode_id = $1 AND client_message_id = $2',
      [episodeId, clientMessageId],
    );
    return row?.seq ?? null;
  }

  async eventsAfter(episodeId: string, afterSeq: number): Promise<EpisodeEvent[]> {
    const rows = await this.db.rows<{ json: string }>(
      'SELECT json FROM episode_events WHERE episode_id = $1 AND seq > $2 ORDER BY seq',
      [episodeId, afterSeq],
    );
    return rows.map((r) => EpisodeEventSchema.parse(JSON.parse(r.json)));
  }

  async finish(
    episodeId: string,
    f: {
      status: EpisodeStatus;
      weightedScore: number | null;
      correct: 0 | 1 | null;
      interactionTurns: number | null;
      failure: { stage: string; reason: string } | null;
    },
  ): Promise<void> {
    await this.db.rows(
      `UPDATE episodes SET status = $1, weighted_score = $2, correct = $3, interaction_turns = $4, failure_stage = $5,
         failure_reason = $6, ended_at = $7
       WHERE id = $8`,
      [
        f.status,
        f.weightedScore,
        f.correct,
        f.interactionTurns,
        f.failure?.stage ?? null,
        f.failure?.reason ?? null,
        new Date().toISOString(),
        episodeId,
      ],
    );
  }

  async get(episodeId: string): Promise<LiveEpisodeInfo | null> {
    const [row] = await this.db.rows<LiveEpisodeRow>(
      'SELECT * FROM episodes WHERE id = $1 AND participant_id IS NOT NULL',
      [episodeId],
    );
    return row ? toLiveEpisodeInfo(row) : null;
  }

  async running(): Promise<LiveEpisodeInfo[]> {
    const rows = await this.db.rows<LiveEpisodeRow>(
      `SELECT * FROM episodes WHERE status = 'running' AND participant_id IS NOT NULL
       ORDER BY started_at COLLATE "C"`,
    );
    return rows.map(toLiveEpisodeInfo);
  }

  async runningFor(participantId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(
      `SELECT e.id FROM episodes e
       WHERE e.participant_id = $1 AND e.status = 'running'
         AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated')
       ORDER BY e.started_at COLLATE "C" DESC LIMIT 1`,
      [participantId],
    );
    return row?.id ?? null;
  }

  async awaitingRatingFor(participantId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(
      `SELECT e.id FROM episodes e
       WHERE e.participant_id = $1 AND e.status = 'completed' AND e.twin_of IS NULL
         AND NOT EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id AND v.type = 'actor_rated')
       ORDER BY e.started_at COLLATE "C" DESC LIMIT 1`,
      [participantId],
    );
    return row?.id ?? null;
  }

  async sourceParticipantOf(episodeId: string): Promise<string | null> {
    const [row] = await this.db.rows<{ participant_id: string | null }>(
      'SELECT participant_id FROM episodes WHERE id = $1',
      [episodeId],
    );
    return row?.participant_id ?? null;
  }

  async beginTwin(liveEpisodeId: string, summary: EpisodeSummary): Promise<{ twin: EpisodeSummary; created: boolean }> {
    return this.db.transaction(async (client) => {
      // The live episode's row locked: the research worker and the server asking at once make one twin, not two.
      await client.query('SELECT 1 FROM episodes WHERE id = $1 FOR UPDATE', [liveEpisodeId]);
      const [existing] = (
        await client.query<EpisodeRow>(
          'SELECT * FROM episodes WHERE twin_of = $1 ORDER BY started_at COLLATE "C" LIMIT 1',
          [liveEpisodeId],
        )
      ).rows;
      if (existing) return { twin: episodeRowToSummary(existing), created: false };
      await insertEpisodeRow(client, summary);
      await linkTwin(client, liveEpisodeId, summary.id);
      return { twin: summary, created: true };
    });
  }

  async saveTwin(liveEpisodeId: string, summary: EpisodeSummary, events: readonly EpisodeEvent[]): Promise<void> {
    await this.db.transaction(async (client) => {
      await insertEpisodeRow(client, summary);
      await insertEvents(client, summary.id, events);
      await linkTwin(client, liveEpisodeId, summary.id);
    });
  }

  async twinsOf(liveEpisodeId: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      'SELECT id FROM episodes WHERE twin_of = $1 ORDER BY started_at COLLATE "C"',
      [liveEpisodeId],
    );
    return rows.map((r) => r.id);
  }

  async listLive(filter: { studyId?: string; status?: EpisodeStatus }): Promise<LiveEpisodeInfo[]> {
    const rows = await this.db.rows<LiveEpisodeRow>(
      `SELECT * FROM episodes WHERE participant_id IS NOT NULL AND ($1::text IS NULL OR study_id = $1)
         AND ($2::text IS NULL OR status = $2) ORDER BY started_at COLLATE "C" DESC LIMIT 1000`,
      [filter.studyId ?? null, filter.status ?? null],
    );
    return rows.map(toLiveEpisodeInfo);
  }
}
