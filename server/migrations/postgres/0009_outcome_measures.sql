-- Outcome measures. A course names the questionnaires it asks and the course
-- weeks it asks them in (comma-separated ids and week numbers; empty = none).
-- Courses made before keep none until their instructor adds them.
ALTER TABLE courses ADD COLUMN measure_instruments TEXT NOT NULL DEFAULT '';
ALTER TABLE courses ADD COLUMN measure_weeks TEXT NOT NULL DEFAULT '';

-- Two more consents, each counted from when it was given (NULL while it is
-- not): the participant's answers counted in the anonymous group results,
-- and the instructor seeing the participant's own answers. Existing members
-- have given neither.
ALTER TABLE memberships ADD COLUMN share_group_results BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE memberships ADD COLUMN share_answers BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE memberships ADD COLUMN group_results_since_ms BIGINT;
ALTER TABLE memberships ADD COLUMN answers_since_ms BIGINT;
