-- The last step of 20261201T1100: every reference to orders now names (city_code, id), so the old
-- key on id alone has no dependants left (were one left, this drop would fail and stop the upgrade).
-- The (id, city_code) index becomes the primary key: city_code in it, as Citus requires, and still
-- led by the id for the lookups by id alone.
ALTER TABLE orders DROP CONSTRAINT orders_pkey;
ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_city;
