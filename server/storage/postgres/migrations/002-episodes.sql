-- Evaluation runs and episodes. An episode's events are its append-only log; the episodes row is a summary of it
-- for listing and metrics. (runs.rowid: see 001.)

CREATE TABLE runs (
  rowid            BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  id               TEXT PRIMARY KEY,
  created_at       TEXT NOT NULL,
  benchmark_sha256 TEXT,
  benchmark_path   TEXT NOT NULL,
  out_path         TEXT,
  options_json     TEXT NOT NULL
);

CREATE TABLE episodes (
  id                TEXT PRIMARY KEY,
  run_id            TEXT REFERENCES runs(id),
  problem_id        TEXT NOT NULL,
  persona_id        TEXT NOT NULL,
  mode              TEXT NOT NULL,
  user_type         TEXT NOT NULL,
  user_seat         TEXT NOT NULL,
  status            TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'aborted')),
  weighted_score    DOUBLE PRECISION,
  correct           INTEGER,
  interaction_turns INTEGER,
  assistant_model   TEXT NOT NULL,
  judge_model       TEXT NOT NULL,
  simulator_model   TEXT,
  failure_stage     TEXT,
  failure_reason    TEXT,
  started_at        TEXT NOT NULL,
  ended_at          TEXT
);
CREATE INDEX episodes_by_run ON episodes(run_id);
CREATE INDEX episodes_by_record ON episodes(problem_id, mode, user_type);

CREATE TABLE episode_events (
  episode_id TEXT NOT NULL REFERENCES episodes(id),
  seq        INTEGER NOT NULL,
  type       TEXT NOT NULL,
  json       TEXT NOT NULL,
  PRIMARY KEY (episode_id, seq)
);
