-- Reports show a participant's records only from when they consented, per
-- kind of sharing: the moment the consent was last given (NULL while it is
-- withdrawn). Existing memberships count from their last consent change,
-- the narrower choice.
ALTER TABLE memberships ADD COLUMN adherence_since_ms INTEGER;
ALTER TABLE memberships ADD COLUMN reflections_since_ms INTEGER;
UPDATE memberships SET adherence_since_ms = consent_changed_ms WHERE share_adherence;
UPDATE memberships SET reflections_since_ms = consent_changed_ms WHERE share_reflections;

-- An instructor invite is used once, for good: erasing the account that used
-- it clears `used_by` but never `used_at_ms`.
ALTER TABLE instructor_invites ADD COLUMN used_at_ms INTEGER;
UPDATE instructor_invites SET used_at_ms = expires_at_ms WHERE used_by IS NOT NULL;
