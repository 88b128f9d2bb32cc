-- A recording may be one cue of a catalog practice, read by the instructor
-- over the practice's script: `practice` is the catalog id, `cue` the index
-- of the cue in its script. Such recordings form a voice for the practice
-- in one language; an instructor has at most one recording per cue (a new
-- one replaces it). Whole takes have neither.
ALTER TABLE recordings ADD COLUMN practice TEXT;
ALTER TABLE recordings ADD COLUMN cue BIGINT;
CREATE UNIQUE INDEX recordings_cue ON recordings (owner_id, practice, lang, cue) WHERE cue IS NOT NULL;
