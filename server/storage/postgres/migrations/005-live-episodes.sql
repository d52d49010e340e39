-- Live episodes: who played them, in which study, the settings they run with (to resume after a restart), the
-- simulated twin they are paired with, and the ids browsers give replies (so a resend is stored once).

ALTER TABLE episodes ADD COLUMN study_id TEXT;
ALTER TABLE episodes ADD COLUMN participant_id TEXT;
ALTER TABLE episodes ADD COLUMN assignment_id TEXT;
ALTER TABLE episodes ADD COLUMN twin_of TEXT REFERENCES episodes(id);
ALTER TABLE episodes ADD COLUMN spec_json TEXT;
CREATE INDEX episodes_running ON episodes(status) WHERE status = 'running';
CREATE INDEX episodes_by_participant ON episodes(participant_id);
CREATE INDEX episodes_by_twin ON episodes(twin_of);

CREATE TABLE episode_client_messages (
  episode_id        TEXT NOT NULL REFERENCES episodes(id),
  client_message_id TEXT NOT NULL,
  seq               INTEGER NOT NULL,
  PRIMARY KEY (episode_id, client_message_id)
);
