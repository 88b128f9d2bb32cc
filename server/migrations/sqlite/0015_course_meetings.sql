-- When and where a course meets (practice/src/schedule.rs `Meetings`, as
-- JSON): the session time, length and place, the session days without a
-- session (holidays) and the retreat day. '{}' is a plan nobody has filled
-- in yet: sessions a week apart from the start date.
ALTER TABLE courses ADD COLUMN meetings TEXT NOT NULL DEFAULT '{}';
