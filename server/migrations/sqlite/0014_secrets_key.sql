-- Two-step sign-in secrets sealed with a key kept outside the database
-- (server/src/secrets.rs): the sealed values in columns of their own, while
-- totp_secret and totp_pending hold a decoy that versions from before
-- sealing take for the secret (so they ask for a code nobody has, instead of
-- letting anyone in on the password alone). Beside them, the fingerprint of
-- the key; a server started with another key refuses to start.
ALTER TABLE users ADD COLUMN totp_sealed TEXT;
ALTER TABLE users ADD COLUMN totp_pending_sealed TEXT;
CREATE TABLE secrets_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
