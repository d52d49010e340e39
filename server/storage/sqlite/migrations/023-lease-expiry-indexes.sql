-- Every claim in a study first expires the study's lapsed leases (play_leases and rating_leases: `study_id = ? AND
-- status = 'leased' AND expires_at <= ?`). The only index that could serve it was the one-active-lease index on
-- (study_id, participant_id), so each claim read every live lease of the study to compare its expiry: with a
-- thousand people playing at once, a thousand rows per claim. These indexes hold the live leases in expiry order, so a
-- claim reads only the leases that have lapsed (usually none).
CREATE INDEX play_leases_expiry ON play_leases(study_id, expires_at) WHERE status = 'leased';
CREATE INDEX rating_leases_expiry ON rating_leases(study_id, expires_at) WHERE status = 'leased';
