-- With mail configured, a sign-up becomes an account only when the link sent
-- to its email is opened: until then nobody (the person signing up included)
-- can tell whether the address already had an account. Kept as the SHA-256
-- of the link's secret, with the password already hashed; deleted when used
-- or a day after it expires.
CREATE TABLE signups (
    token_hash    TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- The SHA-256 of an instructor invite code, claimed when the link is opened.
    invite_hash   TEXT,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE INDEX signups_expiry ON signups (expires_at_ms);
