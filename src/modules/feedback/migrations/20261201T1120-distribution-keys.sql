-- Citus distributes return visits by city_code with their orders (docs/scale.md): city_code in the
-- primary key and on both sides of the reference to orders, so that each is checked on one node.
-- city_code goes last, so that the key still serves the lookups by the visit's id alone.
ALTER TABLE return_visits DROP CONSTRAINT return_visits_order_id_fkey;
ALTER TABLE return_visits ADD CONSTRAINT return_visits_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);
ALTER TABLE return_visits DROP CONSTRAINT return_visits_pkey;
ALTER TABLE return_visits ADD CONSTRAINT return_visits_pkey PRIMARY KEY (id, city_code);
