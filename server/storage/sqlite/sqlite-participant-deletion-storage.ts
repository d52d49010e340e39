import type Database from 'better-sqlite3';
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

/** A JSON array parameter, read in SQL as `IN (SELECT value FROM json_each(?))`, so one statement takes any list. */
const list = (ids: readonly (string | number)[]): string => JSON.stringify(ids);
const IN = 'IN (SELECT value FROM json_each(?))';

export class SqliteParticipantDeletionStorage implements ParticipantDeletionStorage {
  constructor(private readonly db: Database.Database) {}

  async deleteParticipant(
    participantId: string,
    input: { by: DeletionRequester; pidKey: string; now?: Date },
  ): Promise<ParticipantDeletion> {
    const db = this.db;
    // IMMEDIATE: a claim or rating by the same person on another connection must not slip in between reads and deletes.
    return db
      .transaction((): ParticipantDeletion => {
        const who = db
          .prepare('SELECT id, study_id, role, prolific_pid FROM participants WHERE id = ?')
          .get(participantId) as DeletionTarget | undefined;
        if (!who) throw new AppError('not_found', `No participant ${participantId}.`);
        const pid = who.id;

        const own = db.prepare('SELECT id FROM episodes WHERE participant_id = ?').pluck().all(pid) as string[];
        const twins = db.prepare(`SELECT id FROM episodes WHERE twin_of ${IN}`).pluck().all(list(own)) as string[];
        const episodes = [...own, ...twins];
        // Answers made from their episodes (or naming them as source) take every judgment on them along.
        const candidates = db
          .prepare(`SELECT id FROM rating_candidates WHERE source_episode_id ${IN} OR source_participant_id = ?`)
          .pluck()
          .all(list(episodes), pid) as number[];

        let ratings = 0;
        for (const table of ['ratings', 'rating_skips', 'rating_flags']) {
          const r1 = db.prepare(`DELETE FROM ${table} WHERE candidate_id ${IN}`).run(list(candidates));
          const r2 = db.prepare(`DELETE FROM ${table} WHERE participant_id = ?`).run(pid);
          if (table === 'ratings') ratings = r1.changes + r2.changes;
        }
        db.prepare(`DELETE FROM rating_leases WHERE candidate_id ${IN} OR participant_id = ?`).run(
          list(candidates),
          pid,
        );
        db.prepare(`DELETE FROM rating_candidates WHERE id ${IN}`).run(list(candidates));

        // A deleted completed lease no longer counts against its unit's quota, so the unit is offered again.
        db.prepare(`DELETE FROM play_leases WHERE participant_id = ? OR episode_id ${IN}`).run(pid, list(episodes));
        // Twin jobs carry the live episode id in their key and payload; a running one fails to save its twin later
        // (the live episode is gone and twin_of is a foreign key).
        db.prepare(`DELETE FROM jobs WHERE key ${IN}`).run(list(own.map((id) => `twin:${id}`)));
        db.prepare(`DELETE FROM episode_client_messages WHERE episode_id ${IN}`).run(list(episodes));
        db.prepare(`DELETE FROM episode_events WHERE episode_id ${IN}`).run(list(episodes));
        db.prepare(`DELETE FROM episodes WHERE id ${IN}`).run(list(twins));
        db.prepare(`DELETE FROM episodes WHERE id ${IN}`).run(list(own));

        const sessionTokenHashes = db
          .prepare("SELECT token_hash FROM auth_sessions WHERE kind = 'participant' AND subject_id = ?")
          .pluck()
          .all(pid) as string[];
        db.prepare("DELETE FROM auth_sessions WHERE kind = 'participant' AND subject_id = ?").run(pid);
        db.prepare('DELETE FROM participant_outcomes WHERE participant_id = ?').run(pid);
        // Any other table keyed by participant (consent records, and whatever later migrations add) loses their rows
        // too: a table that forgot to be listed here must not keep a withdrawn person's data.
        for (const table of this.otherTablesWithParticipantId()) {
          db.prepare(`DELETE FROM "${table}" WHERE participant_id = ?`).run(pid);
        }
        db.prepare('DELETE FROM participants WHERE id = ?').run(pid);

        db.prepare(`INSERT INTO participant_deletions (${DELETION_COLUMNS}) VALUES (?, ?, ?, ?, ?)`).run(
          ...deletionValues(who, input),
        );
        return { studyId: who.study_id, episodes: own.length, twins: twins.length, ratings, sessionTokenHashes };
      })
      .immediate();
  }

  /** Tables with a participant_id column besides those deleted from explicitly above. */
  private otherTablesWithParticipantId(): string[] {
    const tables = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    return tables.filter(
      (t) =>
        !HANDLED_TABLES.has(t) &&
        (this.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).includes(
          'participant_id',
        ),
    );
  }

  async findParticipantIdByProlificPid(studyId: string, prolificPid: string): Promise<string | null> {
    const id = this.db
      .prepare('SELECT id FROM participants WHERE study_id = ? AND prolific_pid = ?')
      .pluck()
      .get(studyId, prolificPid) as string | undefined;
    return id ?? null;
  }

  async listParticipantIds(studyId: string): Promise<string[]> {
    return this.db
      .prepare('SELECT id FROM participants WHERE study_id = ? ORDER BY created_at')
      .pluck()
      .all(studyId) as string[];
  }

  async listClosedStudies(): Promise<{ studyId: string; closedAt: string }[]> {
    const rows = this.db
      .prepare("SELECT study_id, updated_at FROM live_study_settings WHERE status = 'closed' ORDER BY study_id")
      .all() as { study_id: string; updated_at: string }[];
    return rows.map((r) => ({ studyId: r.study_id, closedAt: r.updated_at }));
  }

  async listDeletions(studyId: string): Promise<DeletionRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT ${DELETION_COLUMNS} FROM participant_deletions
         WHERE study_id = ? ORDER BY deleted_at, id`,
      )
      .all(studyId) as DeletionRow[];
    return rows.map(toDeletionRecord);
  }
}
