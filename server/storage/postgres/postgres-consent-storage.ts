import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppError } from '../../../shared/errors.ts';
import { ParticipantRoleSchema } from '../../../shared/schemas/identity.ts';
import type {
  ConsentDecision,
  ConsentRecord,
  ConsentStorage,
  ConsentVersion,
  NewConsentDecision,
} from '../consent-storage.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';

interface VersionRow {
  id: string;
  study_id: string;
  role: string;
  language: string;
  sha256: string;
  text: string;
  first_seen_at: string;
}

interface RecordRow extends VersionRow {
  participant_id: string;
  decision: string;
  decided_at: string;
}

const VERSION_COLUMNS = 'v.id, v.study_id, v.role, v.language, v.sha256, v.text, v.first_seen_at';
const RECORD_SELECT = `SELECT r.participant_id, r.decision, r.decided_at, ${VERSION_COLUMNS}
  FROM consent_records r JOIN consent_versions v ON v.id = r.version_id`;

function toVersion(row: VersionRow): ConsentVersion {
  return {
    id: row.id,
    studyId: row.study_id,
    // The columns' CHECKs allow only these; parsing keeps a hand-edited row from passing as one.
    role: ParticipantRoleSchema.parse(row.role),
    language: row.language,
    sha256: row.sha256,
    text: row.text,
    firstSeenAt: row.first_seen_at,
  };
}

function toDecision(value: string): ConsentDecision {
  if (value !== 'agreed' && value !== 'refused') throw new Error(`unknown consent decision "${value}"`);
  return value;
}

function toRecord(row: RecordRow): ConsentRecord {
  return {
    participantId: row.participant_id,
    studyId: row.study_id,
    decision: toDecision(row.decision),
    decidedAt: row.decided_at,
    version: toVersion(row),
  };
}

async function decisionOf(db: Queryable, participantId: string): Promise<ConsentRecord | null> {
  const [row] = (await db.query<RecordRow>(`${RECORD_SELECT} WHERE r.participant_id = $1`, [participantId])).rows;
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
    const rows = await this.db.rows<RecordRow>(`${RECORD_SELECT} WHERE r.participant_id = ANY($1::text[])`, [
      [...new Set(participantIds)],
    ]);
    return new Map(rows.map((row) => [row.participant_id, toRecord(row)]));
  }

  async listVersions(studyId: string): Promise<ConsentVersion[]> {
    const rows = await this.db.rows<VersionRow>(
      `SELECT ${VERSION_COLUMNS} FROM consent_versions v WHERE v.study_id = $1
       ORDER BY v.first_seen_at COLLATE "C", v.rowid`,
      [studyId],
    );
    return rows.map(toVersion);
  }
}
