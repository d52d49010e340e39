-- Invitation links gain a label, an optional participant cap and expiry, and how a revoke treated the people who had
-- joined through them. A link's use count is not stored: it is the number of participants whose invite_code is the
-- link, so it can never drift from who really joined.

ALTER TABLE study_invites ADD COLUMN label TEXT NOT NULL DEFAULT '';
-- Distinct participants who may join through the link; NULL means no cap.
ALTER TABLE study_invites ADD COLUMN max_participants INTEGER CHECK (max_participants IS NULL OR max_participants >= 1);
-- After this time (ISO) the link admits nobody new; NULL means it does not expire.
ALTER TABLE study_invites ADD COLUMN expires_at TEXT;
-- Set when revoked: 'finish' lets people who joined through the link come back to finish their work, 'lock' locks
-- them out (their sessions are revoked with it).
ALTER TABLE study_invites ADD COLUMN revoke_mode TEXT CHECK (revoke_mode IN ('finish', 'lock'));
UPDATE study_invites SET revoke_mode = 'finish' WHERE revoked = 1;

-- Use counts and the join check count participants per link.
CREATE INDEX participants_by_invite ON participants(invite_code) WHERE invite_code IS NOT NULL;
