-- What identifies a quarantined message, read from its top-level header block even when the rest cannot be
-- parsed (TOO_DEEP, undecryptable S/MIME...): message_id and subject existed; From and Date join them.
ALTER TABLE quarantine ADD COLUMN from_address VARCHAR(998);
ALTER TABLE quarantine ADD COLUMN from_name VARCHAR(998);
ALTER TABLE quarantine ADD COLUMN sent_at TIMESTAMP WITH TIME ZONE;
