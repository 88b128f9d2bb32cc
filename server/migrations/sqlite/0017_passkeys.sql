-- Passkeys (WebAuthn): only the public key is kept, with the credential id
-- the device names it by. A passkey signs in with both steps at once.
-- passkey_handle is the random user handle the devices keep for the account
-- (not its id: a handle says nothing about the account).
ALTER TABLE users ADD COLUMN passkey_handle TEXT;
CREATE UNIQUE INDEX users_passkey_handle ON users (passkey_handle);
CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    -- SEC1 uncompressed P-256 point (ES256 only).
    public_key BLOB NOT NULL,
    sign_count INTEGER NOT NULL,
    name TEXT NOT NULL,
    -- 1: the device may copy it to the person's other devices.
    synced INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    last_used_ms INTEGER
);
CREATE INDEX passkeys_user ON passkeys (user_id);
-- A challenge answers once and for five minutes; user_id is the account a
-- passkey is being added to, NULL for a sign-in.
CREATE TABLE passkey_challenges (
    id TEXT PRIMARY KEY,
    user_id TEXT,
    challenge BLOB NOT NULL,
    expires_at_ms INTEGER NOT NULL
);
CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at_ms);
