-- Live studies: settings, the play and rating queues (units, candidates, leases) and ratings.
-- Participant ids carry no foreign key: the queue only needs them as opaque keys, and leases must outlive nothing
-- that people storage might do to a participant row.

CREATE TABLE live_study_settings (
  study_id      TEXT PRIMARY KEY REFERENCES studies(id),
  status        TEXT NOT NULL CHECK (status IN ('draft', 'open', 'paused', 'closed')),
  -- The validated settings (shared/schemas/live-study.ts) without the status, which is the column above so that
  -- claims can check it inside their transaction.
  settings_json TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

-- One (record, model) a person plays, `quota` times. Units that drop out of the settings are deactivated, not
-- deleted, so their leases (and the episodes they point at) keep their meaning.
CREATE TABLE play_units (
  id         INTEGER PRIMARY KEY,
  study_id   TEXT NOT NULL,
  problem_id TEXT NOT NULL,
  model      TEXT NOT NULL,
  quota      INTEGER NOT NULL CHECK (quota >= 1),
  position   INTEGER NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  UNIQUE (study_id, problem_id, model),
  FOREIGN KEY (study_id, problem_id) REFERENCES records(study_id, problem_id)
);
CREATE INDEX play_units_queue ON play_units(study_id, active, position);

-- An assignment: a unit handed to an actor until expires_at. 'leased' rows past expires_at are turned into 'expired'
-- by the next claim in the study, which returns their slot to the queue.
CREATE TABLE play_leases (
  id             TEXT PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES play_units(id),
  study_id       TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  episode_id     TEXT,
  status         TEXT NOT NULL CHECK (status IN ('leased', 'completed', 'expired', 'released')),
  leased_at      TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  ended_at       TEXT
);
CREATE INDEX play_leases_by_unit ON play_leases(unit_id, status);
CREATE INDEX play_leases_by_participant ON play_leases(study_id, participant_id);
-- At most one assignment in hand per actor and study: a second claim returns the first.
CREATE UNIQUE INDEX play_leases_one_active ON play_leases(study_id, participant_id) WHERE status = 'leased';

-- An answer to rate. item_id is random and is the only id raters ever see; source_episode_id never leaves the server.
CREATE TABLE rating_candidates (
  id                    INTEGER PRIMARY KEY,
  item_id               TEXT NOT NULL UNIQUE,
  study_id              TEXT NOT NULL,
  problem_id            TEXT NOT NULL,
  source_episode_id     TEXT REFERENCES episodes(id),
  -- The actor who played the source episode (null for batch runs): never offered this answer.
  source_participant_id TEXT,
  answer                TEXT NOT NULL,
  transcript_json       TEXT,
  is_gold               INTEGER NOT NULL DEFAULT 0 CHECK (is_gold IN (0, 1)),
  -- Attention items: {"expectedScores": {...}, "tolerance": n}.
  gold_json             TEXT,
  created_at            TEXT NOT NULL,
  CHECK ((is_gold = 1) = (gold_json IS NOT NULL)),
  FOREIGN KEY (study_id, problem_id) REFERENCES records(study_id, problem_id)
);
CREATE UNIQUE INDEX rating_candidates_by_episode ON rating_candidates(study_id, source_episode_id) WHERE source_episode_id IS NOT NULL;
CREATE INDEX rating_candidates_queue ON rating_candidates(study_id, is_gold);

CREATE TABLE rating_leases (
  id             TEXT PRIMARY KEY,
  candidate_id   INTEGER NOT NULL REFERENCES rating_candidates(id),
  study_id       TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('leased', 'completed', 'expired', 'released')),
  leased_at      TEXT NOT NULL,
  expires_at     TEXT NOT NULL,
  ended_at       TEXT
);
CREATE INDEX rating_leases_by_candidate ON rating_leases(candidate_id, status);
CREATE INDEX rating_leases_by_participant ON rating_leases(study_id, participant_id, candidate_id);
CREATE UNIQUE INDEX rating_leases_one_active ON rating_leases(study_id, participant_id) WHERE status = 'leased';

CREATE TABLE ratings (
  id               INTEGER PRIMARY KEY,
  candidate_id     INTEGER NOT NULL REFERENCES rating_candidates(id),
  study_id         TEXT NOT NULL,
  participant_id   TEXT NOT NULL,
  lease_id         TEXT NOT NULL REFERENCES rating_leases(id),
  scores_json      TEXT NOT NULL,
  correct          INTEGER NOT NULL CHECK (correct IN (0, 1)),
  justification    TEXT NOT NULL,
  seconds_spent    REAL NOT NULL,
  -- Gold items only: whether the rater passed this attention check.
  attention_passed INTEGER CHECK (attention_passed IN (0, 1)),
  created_at       TEXT NOT NULL,
  UNIQUE (candidate_id, participant_id)
);
CREATE INDEX ratings_by_participant ON ratings(study_id, participant_id);
