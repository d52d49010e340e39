import { ParticipantRoleSchema } from '../../../shared/schemas/identity.ts';
import type { ConsentDecision, ConsentRecord, ConsentVersion } from '../consent-storage.ts';

// The consent tables' rows (migration 015) and their mappers, for both engines: the same columns and types.

export interface ConsentVersionRow {
  id: string;
  study_id: string;
  role: string;
  language: string;
  sha256: string;
  text: string;
  first_seen_at: string;
}

/** A `consent_records` row joined with the version it agreed to or refused. */
export interface ConsentRecordRow extends ConsentVersionRow {
  participant_id: string;
  decision: string;
  decided_at: string;
}

/** A version's columns, from `consent_versions v`. */
export const VERSION_COLUMNS = 'v.id, v.study_id, v.role, v.language, v.sha256, v.text, v.first_seen_at';

/** Decisions with their versions; the caller adds its WHERE in its engine's parameter style. */
export const RECORD_SELECT = `SELECT r.participant_id, r.decision, r.decided_at, ${VERSION_COLUMNS}
  FROM consent_records r JOIN consent_versions v ON v.id = r.version_id`;

export function toVersion(row: ConsentVersionRow): ConsentVersion {
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

export function toRecord(row: ConsentRecordRow): ConsentRecord {
  return {
    participantId: row.participant_id,
    studyId: row.study_id,
    decision: toDecision(row.decision),
    decidedAt: row.decided_at,
    version: toVersion(row),
  };
}
