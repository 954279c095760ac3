-- The change feed without a lock held through every ingest (issue 15.6). An ingest no longer takes the next
-- position under the change_sequence row's lock for its whole transaction: it marks the incident
-- change_pending (a new incident has no position yet, change_seq NULL), and after its commit the sequencer
-- (io.mailgate.incident.ChangeSequencer) gives the committed pending incidents their positions in a short
-- transaction of its own, under the same row's lock held only for that transaction. Readers see only rows with
-- a position, and positions become visible in increasing order, so ?after= never skips a change.
ALTER TABLE incidents ALTER COLUMN change_seq DROP NOT NULL;
ALTER TABLE incidents ADD COLUMN change_pending BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX ix_incidents_change_pending ON incidents (change_pending, id);
