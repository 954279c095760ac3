-- An API key's name tells an admin which SOAR or script uses it, so two keys of one organization must not share
-- one (reloading the old creation page made such twins). Existing twins keep working: all but the oldest get
-- their id appended to the name, then the name is unique per organization.
UPDATE api_keys SET name = SUBSTRING(name, 1, 80) || ' (' || CAST(id AS VARCHAR(20)) || ')'
WHERE EXISTS (SELECT 1 FROM api_keys older
              WHERE older.org_id = api_keys.org_id AND older.name = api_keys.name AND older.id < api_keys.id);

ALTER TABLE api_keys ADD CONSTRAINT uk_api_keys_org_name UNIQUE (org_id, name);
