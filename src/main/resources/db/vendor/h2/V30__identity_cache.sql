-- H2 reserves identity values 32 at a time (its default cache), and every time it reserves the next ones it
-- commits the whole store in a transaction of its own: with ~30 artifacts per message that was one extra store
-- of every changed page per message, a quarter of the group committer's CPU (issue 13). Reserving 1,000 at a
-- time makes that rare; the cost is a gap of up to 1,000 ids after a restart, which nothing relies on.
-- (PostgreSQL's sequences are logged in its WAL and need no such change.)
ALTER TABLE artifacts ALTER COLUMN id SET CACHE 1000;
ALTER TABLE email_messages ALTER COLUMN id SET CACHE 1000;
ALTER TABLE incidents ALTER COLUMN id SET CACHE 1000;
ALTER TABLE raw_content ALTER COLUMN id SET CACHE 1000;
ALTER TABLE quarantine ALTER COLUMN id SET CACHE 1000;
