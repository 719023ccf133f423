-- What the return-visit agent sees of the order, copied onto the visit when it is queued (it was
-- joined from the orders, units and events tables): the order's tracking number and title, the lead
-- unit, and the answer to ask the citizen about. The feedback module reads only its own table.
ALTER TABLE return_visits ADD COLUMN tracking_no text;
ALTER TABLE return_visits ADD COLUMN title text;
ALTER TABLE return_visits ADD COLUMN lead_unit_id uuid;
ALTER TABLE return_visits ADD COLUMN answer text;

-- one-time copies of what was read from other modules' tables before this version
UPDATE return_visits v SET tracking_no = o.tracking_no, title = o.title, lead_unit_id = o.lead_unit_id,
       answer = (SELECT e.payload->>'text' FROM events e WHERE e.stream_id = v.order_id
                  AND e.type IN ('order.replied', 'order.answered_directly') ORDER BY e.seq DESC LIMIT 1)
  FROM orders o WHERE o.id = v.order_id;
ALTER TABLE return_visits ALTER COLUMN tracking_no SET NOT NULL;
ALTER TABLE return_visits ALTER COLUMN title SET NOT NULL;
