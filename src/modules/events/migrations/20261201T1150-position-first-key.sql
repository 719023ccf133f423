-- The log's key held city_code already (Citus, docs/scale.md), but first: a client's Last-Event-ID
-- is found by its position alone (cursorAt: WHERE id = $1), which a key led by city_code cannot
-- serve on PostgreSQL 15 (no skip scan), so the resumed stream scanned the log. The position goes
-- first; the key keeps city_code, as Citus requires.
ALTER TABLE events DROP CONSTRAINT events_pkey;
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, city_code);
