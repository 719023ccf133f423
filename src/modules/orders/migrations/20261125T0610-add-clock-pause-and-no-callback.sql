-- The unit paused the deadline clock (waiting for the citizen, with a reason): deadlines stand still.
ALTER TABLE orders ADD COLUMN clock_paused boolean NOT NULL DEFAULT false;
-- The citizen asked not to be called back: the order is closed after the reply without a return visit.
ALTER TABLE orders ADD COLUMN no_callback boolean NOT NULL DEFAULT false;
-- supervision lists the extension requests waiting for a decision
CREATE INDEX orders_extension_pending ON orders (city_code, updated_at) WHERE extension_pending;
