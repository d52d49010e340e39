-- Several server processes ("nodes") may serve one PostgreSQL database; SQLite keeps one server (008's lease). Each
-- node holds a row here that it renews while it runs and deletes on a clean shutdown: an expired row is a dead node.
-- A live episode runs in the memory of one node at a time, its owner, which renews the episode's lease (all of its
-- episodes in one statement) every few seconds. Another node takes an episode over only once its owner's lease
-- expired (the owner died or stalled), resuming it from its stored events. Times are ISO-8601 UTC strings of one
-- length, so they compare as text.
CREATE TABLE server_nodes (
  node       TEXT PRIMARY KEY,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE TABLE live_episode_owners (
  episode_id TEXT PRIMARY KEY REFERENCES episodes(id) ON DELETE CASCADE,
  node       TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
-- The owner renews (and a clean shutdown releases) its episodes by node.
CREATE INDEX live_episode_owners_node ON live_episode_owners(node);
