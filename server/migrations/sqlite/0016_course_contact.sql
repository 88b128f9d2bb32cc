-- How participants reach the instructor between meetings, in the
-- instructor's words (a phone number and when they answer, say): shown on
-- the participant's Help page and in the note after a check-in that
-- worries. '' is not given: then as agreed in the course.
ALTER TABLE courses ADD COLUMN contact TEXT NOT NULL DEFAULT '';
