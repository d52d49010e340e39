import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
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
import { cachedStatement } from './statement-cache.ts';

export class SqliteConsentStorage implements ConsentStorage {
  constructor(private readonly db: Database.Database) {}

  private decisionOf(participantId: string): ConsentRecord | null {
    const row = cachedStatement(this.db, `${RECORD_SELECT} WHERE r.participant_id = ?`).get(participantId) as
      ConsentRecordRow | undefined;
    return row ? toRecord(row) : null;
  }

  /** Inside the caller's transaction: the version with this text, added now if the study never showed it. */
  private versionFor(input: NewConsentDecision): string {
    const existing = cachedStatement(
      this.db,
      'SELECT id FROM consent_versions WHERE study_id = ? AND role = ? AND language = ? AND sha256 = ?',
    )
      .pluck()
      .get(input.studyId, input.role, input.language, input.sha256) as string | undefined;
    if (existing) return existing;
    const id = randomUUID();
    cachedStatement(
      this.db,
      `INSERT INTO consent_versions (id, study_id, role, language, sha256, text, first_seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, input.studyId, input.role, input.language, input.sha256, input.text, input.now.toISOString());
    return id;
  }

  async recordDecision(input: NewConsentDecision): Promise<ConsentRecord> {
    return this.db
      .transaction((): ConsentRecord => {
        const participant = cachedStatement(this.db, 'SELECT study_id FROM participants WHERE id = ?')
          .pluck()
          .get(input.participantId) as string | undefined;
        if (participant !== input.studyId) throw new AppError('not_found', 'no such participant in this study');
        const stored = this.decisionOf(input.participantId);
        if (stored) {
          if (stored.decision === input.decision) return stored;
          throw new AppError('conflict', `you have already ${stored.decision === 'agreed' ? 'agreed' : 'declined'}`);
        }
        const versionId = this.versionFor(input);
        cachedStatement(
          this.db,
          `INSERT INTO consent_records (participant_id, study_id, version_id, decision, decided_at)
           VALUES (?, ?, ?, ?, ?)`,
        ).run(input.participantId, input.studyId, versionId, input.decision, input.now.toISOString());
        if (input.decision === 'refused') {
          // Someone who did not agree leaves nothing but the refusal: no ids that could name them.
          cachedStatement(
            this.db,
            `UPDATE participants SET prolific_pid = NULL, prolific_study_id = NULL, prolific_session_id = NULL
             WHERE id = ?`,
          ).run(input.participantId);
        }
        const record = this.decisionOf(input.participantId);
        if (!record) throw new Error('the consent record just stored is missing');
        return record;
      })
      .immediate();
  }

  async getDecision(participantId: string): Promise<ConsentRecord | null> {
    return this.decisionOf(participantId);
  }

  async decisionsOf(participantIds: readonly string[]): Promise<Map<string, ConsentRecord>> {
    const rows = cachedStatement(
      this.db,
      `${RECORD_SELECT} WHERE r.participant_id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify([...new Set(participantIds)])) as ConsentRecordRow[];
    return new Map(rows.map((row) => [row.participant_id, toRecord(row)]));
  }

  async listVersions(studyId: string): Promise<ConsentVersion[]> {
    const rows = cachedStatement(
      this.db,
      `SELECT ${VERSION_COLUMNS} FROM consent_versions v WHERE v.study_id = ? ORDER BY v.first_seen_at, v.rowid`,
    ).all(studyId) as ConsentVersionRow[];
    return rows.map(toVersion);
  }
}
