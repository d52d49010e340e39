-- Withdrawing an answer from the rating queue (POST /api/studies/:id/rating-candidates/withdraw): the row stays, so
-- leases, "can't judge" answers and flags stored against it keep their meaning, but no claim hands it out again.
-- Only answers without ratings are withdrawn; an answer with ratings keeps serving until it has k.
ALTER TABLE rating_candidates ADD COLUMN withdrawn_at TEXT;
