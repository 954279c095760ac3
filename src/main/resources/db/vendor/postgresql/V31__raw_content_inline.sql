-- A raw message of usual size (up to RawContentStore.POSTGRES_INLINE_MAX) is stored in its row as bytea instead
-- of as a large object: a large object costs the server about three times the CPU of a bytea value, on the one
-- committer's path (issue 13). Larger messages stay large objects, which stream through the driver. Exactly one
-- of the two columns holds a row's bytes.
--
-- STORAGE EXTERNAL: out of line when large, but never compressed. Most of a message's bytes are base64 of files
-- that are compressed already, and pglz spent more CPU failing to compress them than storing them took.
ALTER TABLE raw_content ALTER COLUMN content DROP NOT NULL;
ALTER TABLE raw_content ADD COLUMN inline_content BYTEA;
ALTER TABLE raw_content ALTER COLUMN inline_content SET STORAGE EXTERNAL;
ALTER TABLE raw_content ADD CONSTRAINT raw_content_in_one_place
    CHECK ((content IS NULL) <> (inline_content IS NULL));

-- Only a large object needs freeing with its row.
CREATE OR REPLACE FUNCTION raw_content_unlink() RETURNS trigger AS $$
BEGIN
    IF OLD.content IS NOT NULL THEN
        PERFORM lo_unlink(OLD.content);
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
