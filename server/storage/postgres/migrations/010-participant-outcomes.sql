-- How each participant's task ended: the outcome, the completion code they were shown, and when. One row per
-- participant, so the end (and the code they need to be paid) is shown again on another device or after clearing the
-- browser. Which outcome stands when a participant ends twice is decided by shared/schemas/participant-outcome.ts.
-- Like the work queues (004), the participant id carries no foreign key.
CREATE TABLE participant_outcomes (
  participant_id  TEXT PRIMARY KEY,
  study_id        TEXT NOT NULL REFERENCES studies(id),
  outcome         TEXT NOT NULL
    CHECK (outcome IN ('completed', 'failed_attention', 'timed_out', 'screened_out', 'no_work')),
  -- NULL when the study had no code for this outcome at the time.
  completion_code TEXT,
  ended_at        TEXT NOT NULL
);
CREATE INDEX participant_outcomes_by_study ON participant_outcomes(study_id, outcome);
