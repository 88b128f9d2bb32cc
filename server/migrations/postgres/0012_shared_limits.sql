-- Attempt limits (log-ins, invite codes, sign-ups, mails) shared by every
-- server instance on this database, so two instances allow what one does.
-- Keys are SHA-256 hashes (under a secret in `meta`, key `limit_key`) of an
-- address, an email or an account id: nothing here names anyone as typed.
-- Rows whose window has ended are swept every minute. SQLite keeps these
-- counts in the one server process's memory instead.
CREATE TABLE limit_windows (
    limiter    TEXT NOT NULL,
    key        BIGINT NOT NULL,
    started_ms BIGINT NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (limiter, key)
);
CREATE INDEX limit_windows_started ON limit_windows (limiter, started_ms);

-- Wrong passwords per (email, address): the wait after them doubles.
CREATE TABLE limit_failures (
    limiter  TEXT NOT NULL,
    key      BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    last_ms  BIGINT NOT NULL,
    PRIMARY KEY (limiter, key)
);
CREATE INDEX limit_failures_last ON limit_failures (limiter, last_ms);
