-- Recordings in an instructor's own voice. The audio itself is in the
-- object store under `audio/<sha256>.mp3`; rows with the same sha256 share
-- it (the same file uploaded twice is stored once).
CREATE TABLE recordings (
    id            TEXT PRIMARY KEY NOT NULL,
    owner_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         TEXT NOT NULL,
    lang          TEXT NOT NULL CHECK (lang IN ('da', 'en')),
    sha256        TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    duration_ms   BIGINT NOT NULL,
    bells         BOOLEAN NOT NULL,
    published     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX recordings_owner ON recordings (owner_id);
CREATE INDEX recordings_sha256 ON recordings (sha256);

-- The courses whose participants hear a recording.
CREATE TABLE recording_courses (
    recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
    course_id    TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (recording_id, course_id)
);
CREATE INDEX recording_courses_course ON recording_courses (course_id);
