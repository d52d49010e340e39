-- Studies, imported benchmark files, their records, rubric criteria and personas.

CREATE TABLE studies (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL
);

CREATE TABLE benchmark_files (
  id            INTEGER PRIMARY KEY,
  study_id      TEXT NOT NULL REFERENCES studies(id),
  sha256        TEXT NOT NULL,
  source_name   TEXT NOT NULL,
  bytes         INTEGER NOT NULL,
  metadata_json TEXT,
  record_count  INTEGER NOT NULL,
  imported_at   TEXT NOT NULL,
  UNIQUE (study_id, sha256)
);

-- A persona as it appeared somewhere: content-addressed, because the reference copies personas into every record
-- and bookkeeping fields (usage_count) can differ between copies of the same persona id.
CREATE TABLE personas (
  id         TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  json       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (id, sha256)
);

-- Which persona version is the library's (personas/ files).
CREATE TABLE persona_library (
  persona_id TEXT PRIMARY KEY,
  sha256     TEXT NOT NULL,
  FOREIGN KEY (persona_id, sha256) REFERENCES personas(id, sha256)
);

CREATE TABLE records (
  study_id         TEXT NOT NULL REFERENCES studies(id),
  problem_id       TEXT NOT NULL,
  file_id          INTEGER NOT NULL REFERENCES benchmark_files(id),
  line             INTEGER NOT NULL,
  task             TEXT NOT NULL,
  persona_id       TEXT NOT NULL,
  persona_sha256   TEXT NOT NULL,
  persona_name     TEXT NOT NULL,
  question_preview TEXT NOT NULL,
  preference_count INTEGER NOT NULL,
  criterion_count  INTEGER NOT NULL,
  sha256           TEXT NOT NULL,
  json             TEXT NOT NULL,
  PRIMARY KEY (study_id, problem_id),
  FOREIGN KEY (persona_id, persona_sha256) REFERENCES personas(id, sha256)
);
CREATE INDEX records_by_file ON records(file_id);
CREATE INDEX records_by_persona ON records(persona_id);

CREATE TABLE rubric_criteria (
  study_id    TEXT NOT NULL,
  problem_id  TEXT NOT NULL,
  position    INTEGER NOT NULL,
  preference  TEXT NOT NULL,
  weight      REAL,
  description TEXT NOT NULL,
  levels_json TEXT NOT NULL,
  PRIMARY KEY (study_id, problem_id, position),
  FOREIGN KEY (study_id, problem_id) REFERENCES records(study_id, problem_id)
);
