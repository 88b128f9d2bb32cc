-- Sessions get an id that can be shown and used to end one (never the
-- token's hash, which is the secret's stand-in), and a few words naming what
-- signed in ("Safari · iPhone").
ALTER TABLE sessions ADD COLUMN public_id TEXT;
UPDATE sessions SET public_id = md5(random()::text || clock_timestamp()::text || token_hash);
CREATE UNIQUE INDEX sessions_public_id ON sessions (public_id);
ALTER TABLE sessions ADD COLUMN device TEXT NOT NULL DEFAULT '';

-- One-time links: a password reset (made by an instructor for a member of
-- their course, by the server admin, or sent by email). Stored as the
-- SHA-256 of the secret; used once (`used_at_ms`), then kept until expiry.
CREATE TABLE account_links (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('reset')),
    made_by       TEXT NOT NULL CHECK (made_by IN ('instructor', 'admin', 'email')),
    -- The instructor who made it, by name as it was then.
    instructor    TEXT,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    used_at_ms    BIGINT
);
CREATE INDEX account_links_user ON account_links (user_id);

-- The last reset, shown to the account's owner.
ALTER TABLE users ADD COLUMN last_reset_ms BIGINT;
ALTER TABLE users ADD COLUMN last_reset_by TEXT;
ALTER TABLE users ADD COLUMN last_reset_instructor TEXT;

-- When the account's owner proved the email is theirs (a link sent to it).
-- The admin promotes an account to instructor only when it is set, or when
-- told explicitly that the owner was checked another way.
ALTER TABLE users ADD COLUMN email_verified_at_ms BIGINT;
