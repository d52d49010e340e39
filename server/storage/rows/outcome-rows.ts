import { ParticipantOutcomeKindSchema } from '../../../shared/schemas/participant-outcome.ts';
import type { ParticipantOutcome } from '../study-work-storage.ts';

// The `participant_outcomes` row (migration 010) and its mapper, for both engines: the same columns, times ISO text.

export interface OutcomeRow {
  study_id: string;
  participant_id: string;
  outcome: string;
  completion_code: string | null;
  ended_at: string;
}

export const OUTCOME_COLUMNS = 'study_id, participant_id, outcome, completion_code, ended_at';

export function toOutcome(row: OutcomeRow): ParticipantOutcome {
  return {
    studyId: row.study_id,
    participantId: row.participant_id,
    // The column's CHECK allows only these; parsing keeps a hand-edited row from passing as one.
    outcome: ParticipantOutcomeKindSchema.parse(row.outcome),
    completionCode: row.completion_code,
    endedAt: row.ended_at,
  };
}
