-- One row per (incident, type, value), enforced by a unique index so artifacts are written set-based
-- (MERGE ... WHEN NOT MATCHED) instead of an exists-query and an insert per artifact. The index is on
-- value_key, the hex SHA-256 of the value (UTF-8), because a 2048-character value can exceed what a
-- PostgreSQL b-tree entry may hold; the H2 and PostgreSQL migrations compute the same key.
ALTER TABLE artifacts ADD COLUMN value_key VARCHAR(64);
UPDATE artifacts SET value_key = LOWER(RAWTOHEX(HASH('SHA-256', artifact_value)));
-- Two concurrent messages of one incident could each have inserted the same artifact: keep the first.
DELETE FROM artifacts a WHERE EXISTS (SELECT 1 FROM artifacts b WHERE b.incident_id = a.incident_id
    AND b.type = a.type AND b.value_key = a.value_key AND b.id < a.id);
ALTER TABLE artifacts ALTER COLUMN value_key SET NOT NULL;
CREATE UNIQUE INDEX uq_artifacts_incident_value ON artifacts (incident_id, type, value_key);
