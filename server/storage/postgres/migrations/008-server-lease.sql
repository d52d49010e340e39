-- The one server process that serves this database. A second server on the same database would take over the
-- first's live episodes and batch runs at start-up, so `serve` takes this row in one transaction and refuses while
-- another live holder's lease has not expired. The holder renews expires_at on an interval and deletes the row on a
-- clean shutdown; after a crash the next start takes over once the lease expired or its process is gone.
CREATE TABLE server_lease (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  holder     TEXT NOT NULL,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  expires_at TEXT NOT NULL
);
