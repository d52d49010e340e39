-- Batch runs shared through the PostgreSQL job queue (pg-boss) by `prefdisco worker` processes on any machine
-- (docs/ARCHITECTURE.md, "Batch runs on several workers"). The queue holds only which chunk of a run's plan to play;
-- what was played is here, so any process can tell a run's progress and write its results file from the database.
-- The SQLite migration of the same number has the same tables (its runs never use them).
--
-- One row per queued run: the plan's size and chunking, the records it drew from, and the cancel the workers poll.
CREATE TABLE queued_runs (
  run_id           TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  problem_ids_json TEXT,
  jobs             INTEGER NOT NULL,
  chunk_size       INTEGER NOT NULL,
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  created_at       TEXT NOT NULL
);
-- One row per (record, mode, user type) of the plan that ended: its results line ('done') or failures line
-- ('failed'), exactly as the file gets it. The key makes a chunk played twice (its worker died) store each once.
CREATE TABLE queued_run_lines (
  run_id     TEXT NOT NULL REFERENCES queued_runs(run_id) ON DELETE CASCADE,
  job_index  INTEGER NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('done', 'failed')),
  line_json  TEXT NOT NULL,
  episode_id TEXT,
  worker     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (run_id, job_index)
);
