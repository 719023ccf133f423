-- What supervision shows of a pending extension request or return, kept on the round itself (it
-- was read from the order's events), and the tracking number on each notice (it was joined from
-- the orders table): the sla module reads only its own tables.
ALTER TABLE order_rounds ADD COLUMN extension_requested_days int;
ALTER TABLE order_rounds ADD COLUMN extension_requested_at timestamptz;
ALTER TABLE order_rounds ADD COLUMN extension_reason text;
ALTER TABLE order_rounds ADD COLUMN extension_requested_by uuid;
ALTER TABLE order_rounds ADD COLUMN return_reason text;
ALTER TABLE order_rounds ADD COLUMN returned_by_unit uuid;
ALTER TABLE notices ADD COLUMN tracking_no text;

-- one-time copies of what was read from other modules' tables before this version
UPDATE order_rounds r
   SET extension_requested_days = (e.payload->>'days')::int, extension_requested_at = e.at, extension_reason = e.reason,
       extension_requested_by = e.actor_unit_id
  FROM orders o, LATERAL (SELECT * FROM events WHERE stream_id = o.id AND type = 'order.extension_requested' ORDER BY seq DESC LIMIT 1) e
 WHERE o.id = r.order_id AND o.extension_pending AND r.status = 'active';
UPDATE order_rounds r SET return_reason = e.reason, returned_by_unit = e.actor_unit_id
  FROM events e WHERE e.stream_id = r.order_id AND e.type = 'order.returned' AND e.at = r.returned_at AND r.returned_at IS NOT NULL;
UPDATE notices n SET tracking_no = o.tracking_no FROM orders o WHERE o.id = n.order_id;
ALTER TABLE notices ALTER COLUMN tracking_no SET NOT NULL;

-- supervision lists the requests waiting for the hotline
CREATE INDEX order_rounds_extension_pending ON order_rounds (city_code, extension_requested_at) WHERE extension_requested_days IS NOT NULL;
CREATE INDEX order_rounds_return_pending ON order_rounds (city_code, returned_at) WHERE returned_at IS NOT NULL AND return_outcome IS NULL;
