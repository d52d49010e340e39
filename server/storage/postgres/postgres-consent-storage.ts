import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import type { ConsentRecord, ConsentStorage, ConsentVersion, NewConsentDecision } from '../consent-storage.ts';
import {
  RECORD_SELECT,
  VERSION_COLUMNS,
  toRecord,
  toVersion,
  type ConsentRecordRow,
  type ConsentVersionRow,
} from '../rows/consent-rows.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';

async function decisionOf(db: Queryable, participantId: string): Promise<ConsentRecord | null> {
  const [row] = (await db.query<ConsentRecordRow>(`${RECORD_SELECT} WHERE r.participant_id = $1`, [participantId]))
    .rows;
  return row ? toRecord(row) : null;
}

/** Consent versions and decisions on PostgreSQL (sqlite/sqlite-consent-storage.ts; migration 015). */
export class PostgresConsentStorage implements ConsentStorage {
  constructor(private readonly db: PgDatabase) {}

  /**
   * Inside the caller's transaction: the version with this text, added now if the study never showed it. Two first
   * decisions on a new text at once: the unique index lets one insert, the other reads it after.
   */
  private async versionFor(client: pg.PoolClient, input: NewConsentDecision): Promise<string> {
    const select = async (): Promise<string | undefined> =>
      (
        await client.query<{ id: string }>(
          'SELECT id FROM consent_versions WHERE study_id = $1 AND role = $2 AND language = $3 AND sha256 = $4',
          [input.studyId, input.role, input.language, input.sha256],
        )
      ).rows[0]?.id;
    const existing = await select();
    if (existing) return existing;
    const id = randomUUID();
    const inserted = await client.query(
      `INSERT INTO consent_versions (id, study_id, role, language, sha256, text, first_seen_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (study_id, role, language, sha256) DO NOTHING`,
      [id, input.studyId, input.role, input.language, input.sha256, input.text, input.now.toISOString()],
    );
    if (inserted.rowCount === 1) return id;
    const winner = await select();
    if (!winner) throw new Error('a consent version was neither inserted nor found');
    return winner;
  }

  async recordDecision(input: NewConsentDecision): Promise<ConsentRecord> {
    return this.db.transaction(async (client) => {
      // The participant row locked: two decisions of one person at once queue here, and the second sees the first.
      const [participant] = (
        await client.query<{ study_id: string }>('SELECT study_id FROM participants WHERE id = $1 FOR UPDATE', [
          input.participantId,
        ])
      ).rows;
      if (participant?.study_id !== input.studyId) throw new AppError('not_found', 'no such participant in this study');
      const stored = await decisionOf(client, input.participantId);
      if (stored) {
        if (stored.decision === input.decision) return stored;
        throw new AppError('conflict', `you have already ${stored.decision === 'agreed' ? 'agreed' : 'declined'}`);
      }
      const versionId = await this.versionFor(client, input);
      await client.query(
        `INSERT INTO consent_records (participant_id, study_id, version_id, decision, decided_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [input.participantId, input.studyId, versionId, input.decision, input.now.toISOString()],
      );
      if (input.decision === 'refused') {
        // Someone who did not agree leaves nothing but the refusal: no ids that could name them.
        await client.query(
          `UPDATE participants SET prolific_pid = NULL, prolific_study_id = NULL, prolific_session_id = NULL
           WHERE id = $1`,
          [input.participantId],
        );
      }
      const record = await decisionOf(client, input.participantId);
      if (!record) throw new Error('the consent record just stored is missing');
      return record;
    });
  }

  async getDecision(participantId: string): Promise<ConsentRecord | null> {
    return decisionOf(this.db.pool, participantId);
  }

  async decisionsOf(participantIds: readonly string[]): Promise<Map<string, ConsentRecord>> {
    const rows = await this.db.rows<ConsentRecordRow>(`${RECORD_SELECT} WHERE r.participant_id = ANY($1::text[])`, [
      [...new Set(participantIds)],
    ]);
    return new Map(rows.map((row) => [row.participant_id, toRecord(row)]));
  }

  async listVersions(studyId: string): Promise<ConsentVersion[]> {
    const rows = await this.db.rows<ConsentVersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM consent_versions v WHERE v.study_id = $1
       ORDER BY v.first_seen_at COLLATE "C", v.rowid`,
      [studyId],
    );
    return rows.map(toVersion);
  }
}
