-- Withdrawal and deletion (docs/data-protection.md): deleting a participant removes every row that names them or
-- holds their text. What stays is this minimal record that a deletion happened, for payment disputes: the study, a
-- keyed hash of the Prolific id (HMAC-SHA256 under the app secret 'participant-deletion-key', so the id cannot be read
-- back or guessed from a copy of the database without that secret), when, and who asked. No participant id is kept.
CREATE TABLE participant_deletions (
  id               INTEGER PRIMARY KEY,
  study_id         TEXT NOT NULL REFERENCES studies(id),
  -- NULL for a participant who arrived without a Prolific id.
  prolific_pid_hmac TEXT,
  role             TEXT NOT NULL CHECK (role IN ('actor', 'rater')),
  deleted_at       TEXT NOT NULL,
  -- 'participant' (withdrawal), 'retention' (the purge), or the id of the researcher who deleted them.
  deleted_by       TEXT NOT NULL
);
CREATE INDEX participant_deletions_by_study ON participant_deletions(study_id, deleted_at);
