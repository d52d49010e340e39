-- People and access: researcher accounts, login sessions, study participants, invitation links, and app secrets.

-- Usernames compare case-insensitively, so "Alice" and "alice" cannot be two accounts. SQLite's NOCASE has a
-- counterpart here: a nondeterministic ICU collation of the same name, so equality, UNIQUE and the queries'
-- `COLLATE NOCASE` behave alike (it also folds non-ASCII case, which SQLite's does not).
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE researchers (
  id            TEXT PRIMARY KEY,
  username      TEXT COLLATE nocase NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  created_at    TEXT NOT NULL
);

-- A browser session. Only the SHA-256 of the token is kept: a copy of the database cannot be replayed as cookies.
-- subject_id is a researcher or a participant id, by kind, so it carries no foreign key.
CREATE TABLE auth_sessions (
  token_hash TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('researcher', 'participant')),
  subject_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX auth_sessions_by_subject ON auth_sessions(kind, subject_id);

CREATE TABLE study_invites (
  code       TEXT PRIMARY KEY,
  study_id   TEXT NOT NULL REFERENCES studies(id),
  role       TEXT NOT NULL CHECK (role IN ('actor', 'rater')),
  created_at TEXT NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX study_invites_by_study ON study_invites(study_id);

-- A persona actor or rater in one study. The Prolific ids are kept for paying and matching submissions; invite_code
-- records which link brought the participant in.
CREATE TABLE participants (
  id                  TEXT PRIMARY KEY,
  study_id            TEXT NOT NULL REFERENCES studies(id),
  role                TEXT NOT NULL CHECK (role IN ('actor', 'rater')),
  prolific_pid        TEXT,
  prolific_study_id   TEXT,
  prolific_session_id TEXT,
  invite_code         TEXT REFERENCES study_invites(code),
  created_at          TEXT NOT NULL
);
-- One participant per Prolific worker per study: a second join with the same PID resumes, never duplicates.
CREATE UNIQUE INDEX participants_by_prolific_pid ON participants(study_id, prolific_pid) WHERE prolific_pid IS NOT NULL;
CREATE INDEX participants_by_study ON participants(study_id, role);

-- Generated secrets (the cookie-signing key) so a fresh install is secure without configuration.
CREATE TABLE app_secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
