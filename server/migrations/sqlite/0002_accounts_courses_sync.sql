-- Accounts, sessions, courses, assignments and synced records.
-- Times are ms since 1970-01-01 UTC (INTEGER), ids are UUID text, booleans 0/1.
-- The PostgreSQL migration of the same number holds the same tables.

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('participant', 'instructor')),
    display_name  TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    -- The last sequence number given to one of this user's records.
    last_seq      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sessions (
    -- SHA-256 of the token, hex: a stolen database does not log anyone in.
    token_hash    TEXT PRIMARY KEY NOT NULL,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE instructor_invites (
    code_hash     TEXT PRIMARY KEY NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at_ms INTEGER NOT NULL,
    used_by       TEXT REFERENCES users (id) ON DELETE SET NULL
) STRICT;

CREATE TABLE courses (
    id                TEXT PRIMARY KEY NOT NULL,
    instructor_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    lang              TEXT NOT NULL,
    time_zone         TEXT NOT NULL,
    start_date        TEXT NOT NULL,
    is_open           INTEGER NOT NULL,
    capacity          INTEGER NOT NULL,
    template          TEXT,
    invite_code       TEXT UNIQUE,
    invite_expires_ms INTEGER,
    created_at_ms     INTEGER NOT NULL
) STRICT;
CREATE INDEX courses_instructor ON courses (instructor_id);

CREATE TABLE memberships (
    course_id           TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at_ms        INTEGER NOT NULL,
    share_adherence     INTEGER NOT NULL,
    share_reflections   INTEGER NOT NULL,
    consent_changed_ms  INTEGER NOT NULL,
    PRIMARY KEY (course_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE assignments (
    course_id TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    week      INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    practice  TEXT NOT NULL,
    minutes   INTEGER NOT NULL,
    days      INTEGER NOT NULL,
    per_day   INTEGER NOT NULL,
    PRIMARY KEY (course_id, week, position)
) STRICT;

-- The current version of each synced record.
CREATE TABLE records (
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    deleted       INTEGER NOT NULL,
    body          TEXT,
    PRIMARY KEY (user_id, id)
) STRICT;
CREATE UNIQUE INDEX records_user_seq ON records (user_id, seq);
CREATE INDEX records_kind ON records (user_id, kind);

-- Every version ever received, so a retry is recognised and never applied twice.
-- A deletion empties the bodies of the versions before it.
CREATE TABLE record_versions (
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    digest         TEXT NOT NULL,
    updated_at_ms  INTEGER NOT NULL,
    deleted        INTEGER NOT NULL,
    body           TEXT,
    received_at_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, id, digest)
) STRICT;
