-- Raters can change their mind, say they cannot judge, and flag an item.

-- When a rater last replaced this rating's values (their most recent judgment only; see rating-queue.ts).
ALTER TABLE ratings ADD COLUMN revised_at TEXT;

-- "Can't judge": a judgment without scores. It completes the rater's lease and counts toward their quota, but it is
-- not a rating: it is left out of agreement statistics and of the answer's k, so the answer goes to another rater.
CREATE TABLE rating_skips (
  id             INTEGER PRIMARY KEY,
  candidate_id   INTEGER NOT NULL REFERENCES rating_candidates(id),
  study_id       TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  lease_id       TEXT NOT NULL REFERENCES rating_leases(id),
  reason         TEXT NOT NULL CHECK (reason IN ('unclear_task', 'outside_expertise', 'answer_unreadable', 'other')),
  note           TEXT NOT NULL,
  seconds_spent  REAL NOT NULL,
  created_at     TEXT NOT NULL,
  revised_at     TEXT,
  UNIQUE (candidate_id, participant_id)
);
CREATE INDEX rating_skips_by_participant ON rating_skips(study_id, participant_id);

-- A rater's report on an item (broken, offensive, the correct answer shown is wrong, other), for researchers. One per
-- rater and item: flagging again replaces the kind and note.
CREATE TABLE rating_flags (
  id             INTEGER PRIMARY KEY,
  candidate_id   INTEGER NOT NULL REFERENCES rating_candidates(id),
  study_id       TEXT NOT NULL,
  participant_id TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('broken', 'offensive', 'wrong_gold', 'other')),
  note           TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  UNIQUE (candidate_id, participant_id)
);
CREATE INDEX rating_flags_by_study ON rating_flags(study_id);
