import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import type {
  DeletionRecord,
  DeletionRequester,
  ParticipantDeletion,
  ParticipantDeletionStorage,
} from '../participant-deletion-storage.ts';
import {
  DELETION_COLUMNS,
  deletionValues,
  HANDLED_TABLES,
  toDeletionRecord,
  type DeletionRow,
  type DeletionTarget,
} from '../rows/participant-deletion-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Deleting participants
' data on PostgreSQL (sqlite/sqlite-participant-deletion-storage.ts; migration 016): the same
 * rows in the same order, in one transaction holding the study's work mutex and the participant's row, so a claim or
 * rating by the same person on another connection cannot slip in between (SQLite's IMMEDIATE write lock does it there).
 */
export class PostgresParticipantDeletionStorage implements ParticipantDeletionStorage {
  constructor(private readonly db: PgDatabase) {}

  async deleteParticipant(
    participantId: string,
    input: { by: DeletionRequester; pidKey: string; now?: Date },
  ): Promise<ParticipantDeletion> {
    return this.db.transaction(async (client) => {
      const q = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<pg.QueryResult<R>> =>
        client.query<R>(sql, params);
      const [found] = (
        await q<{ study_id: string }>('SELECT study_id FROM participants WHERE id = $1', [participantId])
      ).rows;
      if (!found) throw new AppError('not_found', `No participant ${participantId}.`);
      // The study's settings row is the work part's mutex (postgres-study-work-storage.ts): holding it, no claim,
      // rating or judgment of this study runs meanwhile, so none can store a row naming the participant after these
      // deletes read the tables. Taken before the participant's row, in the order those methods take them.
      await q('SELECT 1 FROM live_study_settings WHERE study_id = $1 FOR UPDATE', [found.study_id]);
      const [who] = (
        await q<DeletionTarget>('SELECT id, study_id, role, prolific_pid FROM participants WHERE id = $1 FOR UPDATE', [
          participantId,
        ])
      ).rows;
      if (!who) throw new AppError('not_found', `No participant ${participantId}.`);
      const pid = who.id;
      const ids = async (sql: string, params: unknown[]): Promise<string[]> =>
        (await q<{ id: string }>(sql, params)).rows.map((r) => r.id);

      const own = await ids('SELECT id FROM episodes WHERE participant_id = $1', [pid]);
      const twins = await ids('SELECT id FROM episodes WHERE twin_of = ANY($1::text[])', [own]);
      const episodes = [...own, ...twins];
      // Answers made from their episodes (or naming them as source) take every judgment on them along.
      const candidates = (
        await q<{ id: number }>(
          'SELECT id FROM rating_candidates WHERE source_episode_id = ANY($1::text[]) OR source_participant_id = $2',
          [episodes, pid],
        )
      ).rows.map((r) => r.id);

      let ratings = 0;
      for (const table of ['ratings', 'rating_skips', 'rating_flags']) {
        const r1 = await q(`DELETE FROM ${table} WHERE candidate_id = ANY($1::bigint[])`, [candidates]);
        const r2 = await q(`DELETE FROM ${table} WHERE participant_id = $1`, [pid]);
        if (table === 'ratings') ratings = (r1.rowCount ?? 0) + (r2.rowCount ?? 0);
      }
      await q('DELETE FROM rating_leases WHERE candidate_id = ANY($1::bigint[]) OR participant_id = $2', [
        candidates,
        pid,
      ]);
      await q('DELETE FROM rating_candidates WHERE id = ANY($1::bigint[])', [candidates]);

      // A deleted completed lease no longer counts against its unit's quota, so the unit is offered again.
      await q('DELETE FROM play_leases WHERE participant_id = $1 OR episode_id = ANY($2::text[])', [pid, episodes]);
      // Twin jobs carry the live episode id in their key and payload.
      await q('DELETE FROM jobs WHERE key = ANY($1::text[])', [own.map((id) => `twin:${id}`)]);
      await q('DELETE FROM episode_client_messages WHERE episode_id = ANY($1::text[])', [episodes]);
      await q('DELETE FROM episode_events WHERE episode_id = ANY($1::text[])', [episodes]);
      await q('DELETE FROM episodes WHERE id = ANY($1::text[])', [twins]);
      await q('DELETE FROM episodes WHERE id = ANY($1::text[])', [own]);

      const sessionTokenHashes = (
        await q<{ token_hash: string }>(
          "DELETE FROM auth_sessions WHERE kind = 'participant' AND subject_id = $1 RETURNING token_hash",
          [pid],
        )
      ).rows.map((r) => r.token_hash);
      await q('DELETE FROM participant_outcomes WHERE participant_id = $1', [pid]);
      // Any other table keyed by participant (consent records, and whatever later migrations add) loses their rows
      // too: a table that forgot to be listed here must not keep a withdrawn person's data.
      for (const table of await otherTablesWithParticipantId(client)) {
        await q(`DELETE FROM "${table}" WHERE participant_id = $1`, [pid]);
      }
      await q('DELETE FROM participants WHERE id = $1', [pid]);

      await q(
        `INSERT INTO participant_deletions (${DELETION_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`,
        deletionValues(who, input),
      );
      return { studyId: who.study_id, episodes: own.length, twins: twins.length, ratings, sessionTokenHashes };
    });
  }

  async findParticipantIdByProlificPid(studyId: string, prolificPid: string): Promise<string | null> {
    const [row] = await this.db.rows<{ id: string }>(
      'SELECT id FROM participants WHERE study_id = $1 AND prolific_pid = $2',
      [studyId, prolificPid],
    );
    return row?.id ?? null;
  }

  async listParticipantIds(studyId: string): Promise<string[]> {
    const rows = await this.db.rows<{ id: string }>(
      'SELECT id FROM participants WHERE study_id = $1 ORDER BY created_at COLLATE "C"',
      [studyId],
    );
    return rows.map((r) => r.id);
  }

  async listClosedStudies(): Promise<{ studyId: string; closedAt: string }[]> {
    const rows = await this.db.rows<{ study_id: string; updated_at: string }>(
      `SELECT study_id, updated_at FROM live_study_settings WHERE status = 'closed' ORDER BY study_id COLLATE "C"`,
    );
    return rows.map((r) => ({ studyId: r.study_id, closedAt: r.updated_at }));
  }

  async listDeletions(studyId: string): Promise<DeletionRecord[]> {
    const rows = await this.db.rows<DeletionRow>(
      `SELECT ${DELETION_COLUMNS} FROM participant_deletions
       WHERE study_id = $1 ORDER BY deleted_at COLLATE "C", id`,
      [studyId],
    );
    return rows.map(toDeletionRecord);
  }
}

/** Base tables of the app's schema with a participant_id column, besides those deleted from explicitly. */
async function otherTablesWithParticipantId(client: pg.PoolClient): Promise<string[]> {
  const rows = (
    await client.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.column_name = 'participant_id' AND t.table_type = 'BASE TABLE'
       ORDER BY c.table_name`,
    )
  ).rows;
  return rows.map((r) => r.table_name).filter((t) => !HANDLED_TABLES.has(t));
}
