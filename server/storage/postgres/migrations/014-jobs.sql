-- Background work that runs off the server's event loop (batch runs, simulated twins, judging): one row per job,
-- written before the work starts, so a crash or restart finds it and a worker resumes it. A worker owns a running job
-- through a lease (owner + lease_expires_at) that it renews while it works; a job whose lease expired (its worker
-- died) can be claimed again. `key` names the job's subject (e.g. 'batch_run:<runId>', 'twin:<episodeId>') so
-- enqueueing the same work twice yields one job. A cancel is a flag the owning worker polls (or a queued job is
-- cancelled at once). Times are ISO-8601 UTC strings of one length, so they compare as text. (rowid: see 001.)
CREATE TABLE jobs (
  rowid            BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL,
  key              TEXT NOT NULL UNIQUE,
  payload_json     TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  owner            TEXT,
  lease_expires_at TEXT,
  attempts         INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
  error            TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  finished_at      TEXT,
  CHECK ((status = 'running') = (owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);
-- Claims look only at unfinished jobs, oldest first.
CREATE INDEX jobs_claimable ON jobs(kind, created_at) WHERE status IN ('queued', 'running');
