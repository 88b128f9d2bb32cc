-- Two-step sign-in (TOTP): the authenticator's secret (hex), one being set
-- up, the last time step used (so each code works once), and since when.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
ALTER TABLE users ADD COLUMN totp_enabled_at_ms INTEGER;
-- Whether the session was signed in with a code (1) or a password only (0).
ALTER TABLE sessions ADD COLUMN two_step INTEGER NOT NULL DEFAULT 0;
