-- The fingerprint of the key that seals stored secrets (two-step sign-in
-- secrets; see server/src/secrets.rs). The key itself is kept outside the
-- database; a server started with another key refuses to start.
CREATE TABLE secrets_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
