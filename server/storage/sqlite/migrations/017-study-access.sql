-- Researcher access per study (docs/data-protection.md, "Researcher access"): each researcher's role in a study, and
-- the study's audit log of data leaving the app, deletions, settings changes, transcripts read and access shared.

CREATE TABLE study_members (
  study_id      TEXT NOT NULL REFERENCES studies(id),
  researcher_id TEXT NOT NULL REFERENCES researchers(id),
  role          TEXT NOT NULL CHECK (role IN ('owner', 'collaborator', 'viewer')),
  added_at      TEXT NOT NULL,
  -- The researcher who gave the role; NULL for roles given by this upgrade, the first account, or the CLI.
  added_by      TEXT,
  PRIMARY KEY (study_id, researcher_id)
) WITHOUT ROWID;
CREATE INDEX study_members_by_researcher ON study_members(researcher_id);

-- Before roles, every researcher could do everything in every study: the upgrade keeps that, each as owner.
INSERT INTO study_members (study_id, researcher_id, role, added_at, added_by)
  SELECT s.id, r.id, 'owner', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL FROM studies s CROSS JOIN researchers r;

-- Kept when participants are deleted or purged (it names them by pseudonym only, never a Prolific id or their text),
-- and when an account is removed (the username is copied as it was).
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  study_id      TEXT NOT NULL REFERENCES studies(id),
  researcher_id TEXT NOT NULL,
  username      TEXT NOT NULL,
  action        TEXT NOT NULL CHECK (action IN ('export', 'delete_participant', 'change_settings', 'open_transcript',
                                                'add_member', 'change_member', 'remove_member')),
  detail        TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX audit_log_by_study ON audit_log(study_id, id);
