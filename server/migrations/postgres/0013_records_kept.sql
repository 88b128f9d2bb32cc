-- How many live (not deleted) synced records each person keeps, and how
-- many bytes their bodies take, counted by the sync writer as records are
-- stored, changed and deleted, so the per-person quotas are checked without
-- counting rows on every push. Records are removed only with their account.
ALTER TABLE users ADD COLUMN records_kept BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN record_bytes_kept BIGINT NOT NULL DEFAULT 0;
UPDATE users SET
    records_kept = (SELECT count(*) FROM records WHERE records.user_id = users.id AND NOT records.deleted),
    record_bytes_kept = (SELECT coalesce(sum(octet_length(body)), 0) FROM records
                         WHERE records.user_id = users.id AND NOT records.deleted);
