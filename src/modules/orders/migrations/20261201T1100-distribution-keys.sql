-- Citus distributes these tables by city_code (docs/scale.md, src/db/distribution.ts). It requires
-- city_code in every primary key, unique constraint and unique index of a distributed table, and
-- on both sides of a foreign key between two of them, so that each is checked on one node.
-- city_code goes last in each key: an id is unique by itself, and a key led by the id still finds
-- a row by its id alone (PostgreSQL 15 has no skip scan; a key led by city_code would not).

-- The orders' new key, as a unique index for now: the foreign keys of sla, feedback and classify
-- still depend on orders_pkey. Each module moves its own to (city_code, order_id) in its migration
-- of 20261201T11xx; 20261201T1200 then makes this index the primary key.
CREATE UNIQUE INDEX orders_id_city ON orders (id, city_code);

-- Tracking numbers come from one sequence, so they stay unique; Citus can only check it per city.
ALTER TABLE orders DROP CONSTRAINT orders_tracking_no_key;
ALTER TABLE orders ADD CONSTRAINT orders_tracking_no_key UNIQUE (tracking_no, city_code);

-- A merge joins two orders of one city: the reference names the city too (Citus).
ALTER TABLE orders DROP CONSTRAINT orders_merged_into_fkey;
ALTER TABLE orders ADD CONSTRAINT orders_merged_into_fkey FOREIGN KEY (city_code, merged_into) REFERENCES orders (city_code, id);

-- Assignments: the primary key with city_code (Citus); the self-reference of a pass-down depends on
-- the old key, so it is dropped first and comes back with city_code.
ALTER TABLE order_assignments DROP CONSTRAINT order_assignments_parent_assignment_id_fkey;
ALTER TABLE order_assignments DROP CONSTRAINT order_assignments_pkey;
ALTER TABLE order_assignments ADD CONSTRAINT order_assignments_pkey PRIMARY KEY (id, city_code);
ALTER TABLE order_assignments ADD CONSTRAINT order_assignments_parent_assignment_id_fkey
  FOREIGN KEY (city_code, parent_assignment_id) REFERENCES order_assignments (city_code, id);
ALTER TABLE order_assignments DROP CONSTRAINT order_assignments_order_id_fkey;
ALTER TABLE order_assignments ADD CONSTRAINT order_assignments_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);

-- Scopes: still a primary-key probe by (unit, order); city_code added last (Citus).
ALTER TABLE order_scopes DROP CONSTRAINT order_scopes_pkey;
ALTER TABLE order_scopes ADD CONSTRAINT order_scopes_pkey PRIMARY KEY (unit_id, order_id, city_code);
ALTER TABLE order_scopes DROP CONSTRAINT order_scopes_order_id_fkey;
ALTER TABLE order_scopes ADD CONSTRAINT order_scopes_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);
