-- Batch runs started from the researcher's browser belong to a study and carry their state, so the browser can show
-- progress and a restarted server knows which runs were cut short. Runs started by the CLI keep study_id and status
-- NULL: their state is the results file the CLI wrote.

ALTER TABLE runs ADD COLUMN study_id TEXT REFERENCES studies(id);
ALTER TABLE runs ADD COLUMN status TEXT CHECK (status IS NULL OR status IN ('running', 'completed', 'interrupted', 'failed'));
-- The last progress persisted (counts, elapsed time, tokens, cost), as JSON; written every few seconds and at the end.
ALTER TABLE runs ADD COLUMN progress_json TEXT;
ALTER TABLE runs ADD COLUMN updated_at TEXT;
CREATE INDEX runs_by_study ON runs(study_id, created_at);
CREATE INDEX runs_running ON runs(status) WHERE status = 'running';

-- Exports and results read a study's episodes (live ones and twins by study_id, batch ones through their run) in
-- start order.
CREATE INDEX episodes_by_study ON episodes(study_id, started_at);
