-- The event log: every change of an order, and every fact other work reacts to (deadline marks,
-- visits), appended in the transaction of the change. It was the orders' own history table
-- (order_events); it is now the one log that the order history, the durable consumers and the live
-- stream all read. The append-only triggers of order_events stay with it.
ALTER TABLE order_events RENAME TO events;
ALTER SEQUENCE order_events_id_seq RENAME TO events_id_seq;
ALTER INDEX order_events_at RENAME TO events_at;
ALTER TABLE events RENAME COLUMN order_id TO stream_id;
-- a log of facts about several kinds of subject: it does not reach into the orders table
ALTER TABLE events DROP CONSTRAINT order_events_order_id_fkey;

-- what the stream is about ('order'; later: 'call', …) and the subject's id; seq numbers the subject's events
ALTER TABLE events ADD COLUMN stream text NOT NULL DEFAULT 'order';
ALTER TABLE events ALTER COLUMN stream DROP DEFAULT;
ALTER TABLE events ADD COLUMN actor_name text;
-- the subject as consumers need it after the event (for an order: its category and area paths, its
-- lead unit and that unit's ancestry, the units that may see it…), so that no consumer re-reads it
ALTER TABLE events ADD COLUMN snapshot jsonb;

-- The writing transaction's id. Positions (id) are taken at insert and transactions commit in
-- another order, so a reader that kept "the last id seen" would pass over an event whose transaction
-- committed late. Readers go in (tx_id, id) order and only below the oldest transaction still
-- running (pg_snapshot_xmin): a late commit holds them back a moment, and is never skipped.
-- Events written before this migration sort first (tx_id 1).
ALTER TABLE events ADD COLUMN tx_id xid8 NOT NULL DEFAULT '1';
ALTER TABLE events ALTER COLUMN tx_id SET DEFAULT pg_current_xact_id();
CREATE INDEX events_commit_order ON events (tx_id, id);

-- the distribution column (city_code) in every key, as Citus requires (docs/scale.md)
ALTER TABLE events DROP CONSTRAINT order_events_pkey;
ALTER TABLE events ADD PRIMARY KEY (city_code, id);
ALTER TABLE events DROP CONSTRAINT order_events_order_id_seq_key;
ALTER TABLE events ADD CONSTRAINT events_stream_seq UNIQUE (city_code, stream_id, seq);

-- Wakes the readers when events are committed: NOTIFY is delivered at commit, once per transaction.
CREATE FUNCTION minsheng_events_appended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('minsheng_events', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION minsheng_events_appended();

-- Each durable consumer's place in the log, and its failures. A consumer's batch locks its row
-- (FOR UPDATE SKIP LOCKED): one process at a time runs it, and its handler's writes commit with the
-- cursor that passes their events, so an event takes effect once.
CREATE TABLE event_consumers (
  name text PRIMARY KEY,
  -- the last event handled, in the log's (tx_id, id) order
  tx_id xid8 NOT NULL,
  position bigint NOT NULL,
  handled bigint NOT NULL DEFAULT 0,
  -- failed attempts in a row; the next try waits until retry_at, and goes one event at a time up to
  -- the end of the batch that failed (failed_batch_end), so that what fails is the one event at fault
  failures int NOT NULL DEFAULT 0,
  failed_batch_end bigint,
  last_error text,
  failed_at timestamptz,
  retry_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
