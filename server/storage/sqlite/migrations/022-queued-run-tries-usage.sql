-- Shared batch runs (migration 020): a bounded number of tries per chunk, and the model usage of every worker.
-- SQLite has the same tables so the two schemas stay one list; its runs never use them.
--
-- How many times a chunk may fail (its worker threw: a database error, a model the worker does not declare) before
-- its entries without a line are recorded as failed, and the first pause before a failed chunk is tried again (it
-- doubles with each try). Stored with the run so every worker applies the same budget.
ALTER TABLE queued_runs ADD COLUMN chunk_tries INTEGER NOT NULL DEFAULT 5;
ALTER TABLE queued_runs ADD COLUMN chunk_retry_seconds INTEGER NOT NULL DEFAULT 10;
-- One row per chunk that failed: how many tries it used, and the last error with the worker it happened on. A
-- worker stopped or killed mid-chunk is not a failure of the chunk and is not counted here.
CREATE TABLE queued_run_chunk_failures (
  run_id      TEXT NOT NULL REFERENCES queued_runs(run_id) ON DELETE CASCADE,
  chunk       INTEGER NOT NULL,
  tries       INTEGER NOT NULL,
  last_error  TEXT NOT NULL,
  last_worker TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (run_id, chunk)
);
-- The model calls, tokens and cost of each claim of a chunk (one claim: one worker playing it once), written as the
-- claim's running totals after each stored line and at its end, so a run's totals across workers are their sum.
-- cost_usd stays NULL while no call had a price, as the run's progress shows it.
CREATE TABLE queued_run_usage (
  run_id        TEXT NOT NULL REFERENCES queued_runs(run_id) ON DELETE CASCADE,
  claim_id      TEXT NOT NULL,
  worker        TEXT NOT NULL,
  calls         INTEGER NOT NULL,
  input_tokens  INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cost_usd      REAL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (run_id, claim_id)
);
