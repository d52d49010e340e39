-- Failed sign-ins per username, so repeated guessing at one account is slowed down across restarts and processes.
-- Keyed by the name typed, whether or not such an account exists: an unknown name is throttled the same way, so the
-- answers do not reveal which accounts exist. expires_at is when the row stops mattering; stale rows are deleted as
-- new failures are recorded. (nocase: see 003.)
CREATE TABLE login_throttle (
  username          TEXT COLLATE nocase PRIMARY KEY,
  failures          INTEGER NOT NULL,
  window_started_at TEXT NOT NULL,
  locked_until      TEXT,
  lockouts          INTEGER NOT NULL,
  expires_at        TEXT NOT NULL
);
CREATE INDEX login_throttle_by_expiry ON login_throttle(expires_at);
