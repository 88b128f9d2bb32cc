-- Course messages: a few lines from an instructor to the group ("we meet in
-- room 2 on Thursday"), shown on each participant's home and pushed to
-- their devices. A participant marks one read; the instructor sees how many
-- have, never who.
CREATE TABLE course_messages (
    id            TEXT PRIMARY KEY NOT NULL,
    course_id     TEXT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    body          TEXT NOT NULL,
    sent_at_ms    BIGINT NOT NULL
);
CREATE INDEX course_messages_course ON course_messages (course_id, sent_at_ms);

-- Who has read which message. A participant who leaves the course takes
-- their marks with them.
CREATE TABLE course_message_reads (
    message_id    TEXT NOT NULL REFERENCES course_messages (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at_ms    BIGINT NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX course_message_reads_user ON course_message_reads (user_id);

-- A message's notifications not yet delivered go with it (taken back, or
-- its course deleted); a participant who leaves takes theirs.
ALTER TABLE push_outbox ADD COLUMN message_id TEXT REFERENCES course_messages (id) ON DELETE CASCADE;
CREATE INDEX push_outbox_message ON push_outbox (message_id);
