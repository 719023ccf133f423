-- Citus distributes rounds and notices by city_code with their orders (docs/scale.md): city_code in
-- every key and on both sides of each reference to orders, so that each is checked on one node.
-- city_code goes last, so that the keys still serve the lookups by id and by order alone.

-- Rounds: the order's reference first (it names orders' new (id, city_code) key), then the keys.
ALTER TABLE order_rounds DROP CONSTRAINT order_rounds_order_id_fkey;
ALTER TABLE order_rounds ADD CONSTRAINT order_rounds_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);
ALTER TABLE order_rounds DROP CONSTRAINT order_rounds_pkey;
ALTER TABLE order_rounds ADD CONSTRAINT order_rounds_pkey PRIMARY KEY (id, city_code);
-- still serves "the order's latest round" (WHERE order_id = $1 ORDER BY round DESC)
ALTER TABLE order_rounds DROP CONSTRAINT order_rounds_order_id_round_key;
ALTER TABLE order_rounds ADD CONSTRAINT order_rounds_order_id_round_key UNIQUE (order_id, round, city_code);

-- Notices: the same.
ALTER TABLE notices DROP CONSTRAINT notices_order_id_fkey;
ALTER TABLE notices ADD CONSTRAINT notices_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);
ALTER TABLE notices DROP CONSTRAINT notices_pkey;
ALTER TABLE notices ADD CONSTRAINT notices_pkey PRIMARY KEY (id, city_code);
