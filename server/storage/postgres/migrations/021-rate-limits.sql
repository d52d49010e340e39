-- Requests per client address and route within a time window, for the HTTP rate limits (sign-in, joining, setup),
-- shared by every node that serves a PostgreSQL database: with each node counting alone, N nodes would allow N times
-- the limit. On SQLite one process serves the file and counts in its own memory, so this table stays empty there;
-- it exists so both engines keep one schema. The key is a hash of the route and the address, not the address itself.
-- resets_at is when the window ends, in milliseconds since 1970 by the database's clock (nodes' clocks may differ);
-- rows past it are swept as new requests are counted.
CREATE TABLE rate_limit_hits (
  key       TEXT PRIMARY KEY,
  hits      INTEGER NOT NULL,
  resets_at BIGINT NOT NULL
);
CREATE INDEX rate_limit_hits_by_reset ON rate_limit_hits(resets_at);
