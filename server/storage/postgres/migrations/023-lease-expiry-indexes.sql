-- Every claim in a study first expires the study's lapsed leases (play_leases and rating_leases: `study_id = $1 AND
-- status = 'leased' AND expires_at COLLATE "C" <= $3`). No index served it: on 2,000 leases the planner scanned the
-- whole table (every study's leases) on each claim. These indexes hold the live leases in expiry order, so a claim
-- reads only the leases that have lapsed (usually none).
-- The times are ISO text compared byte by byte (COLLATE "C", as the queries do): an index in the database's default
-- collation could not serve those comparisons.
CREATE INDEX play_leases_expiry ON play_leases(study_id, expires_at COLLATE "C") WHERE status = 'leased';
CREATE INDEX rating_leases_expiry ON rating_leases(study_id, expires_at COLLATE "C") WHERE status = 'leased';
