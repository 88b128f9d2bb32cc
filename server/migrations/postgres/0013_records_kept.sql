-- How many synced records each person keeps, counted as pushes store new
-- ones (records are removed only with their account), so the per-person
-- quota is checked without counting rows on every push.
ALTER TABLE users ADD COLUMN records_kept BIGINT NOT NULL DEFAULT 0;
UPDATE users SET records_kept = (SELECT count(*) FROM records WHERE records.user_id = users.id);
