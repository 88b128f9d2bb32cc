-- Reminders by Web Push.
--
-- The server's VAPID key pair: one row, made by whichever instance starts
-- first and read by the others, since browsers subscribe with its public key.
CREATE TABLE push_key (
    id            INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    secret        TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
) STRICT;

-- A device that takes reminders: its push service's address and keys.
CREATE TABLE push_subscriptions (
    id            TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint      TEXT NOT NULL UNIQUE,
    p256dh        TEXT NOT NULL,
    auth          TEXT NOT NULL,
    lang          TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- A person's plan (the Reminders JSON as given) and the next reminder it
-- makes, NULL when none. An instance takes a due reminder by moving
-- next_at_ms on from the value it read: only one can.
CREATE TABLE reminders (
    user_id       TEXT PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    plan          TEXT NOT NULL,
    next_at_ms    INTEGER,
    updated_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX reminders_next ON reminders (next_at_ms);

-- Messages waiting for their push service: one row per device. An instance
-- claims a row by moving claimed_until_ms past now from a value already
-- past; it is deleted once the push service has taken it.
CREATE TABLE push_outbox (
    id               TEXT PRIMARY KEY NOT NULL,
    subscription_id  TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    payload          TEXT NOT NULL,
    topic            TEXT,
    urgency          TEXT NOT NULL,
    ttl_s            INTEGER NOT NULL,
    due_at_ms        INTEGER NOT NULL,
    expires_at_ms    INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    claimed_until_ms INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX push_outbox_due ON push_outbox (due_at_ms);
CREATE INDEX push_outbox_subscription ON push_outbox (subscription_id);
