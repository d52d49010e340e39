-- What each participant agreed to (issue 18): every distinct consent text a study showed, per role and language, and
-- each participant's decision on the version they were shown. The text is kept with its SHA-256 so an export can say
-- exactly what a person agreed to, even after the study's text changed. (consent_versions.rowid: see 001.)
CREATE TABLE consent_versions (
  rowid         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  id            TEXT PRIMARY KEY,
  study_id      TEXT NOT NULL REFERENCES studies(id),
  role          TEXT NOT NULL CHECK (role IN ('actor', 'rater')),
  language      TEXT NOT NULL,
  -- SHA-256 (hex) of the exact text shown, UTF-8.
  sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
  text          TEXT NOT NULL,
  first_seen_at TEXT NOT NULL
);
CREATE UNIQUE INDEX consent_versions_by_text ON consent_versions(study_id, role, language, sha256);

-- One decision per participant. A refusal keeps only this row (time and version): the participant's Prolific ids are
-- blanked in the same transaction. Like the work queues (004), the participant id carries no foreign key.
CREATE TABLE consent_records (
  participant_id TEXT PRIMARY KEY,
  study_id       TEXT NOT NULL REFERENCES studies(id),
  version_id     TEXT NOT NULL REFERENCES consent_versions(id),
  decision       TEXT NOT NULL CHECK (decision IN ('agreed', 'refused')),
  decided_at     TEXT NOT NULL
);
CREATE INDEX consent_records_by_study ON consent_records(study_id, decision);
