-- Citus distributes timers by city_code with their orders (docs/scale.md): city_code in the primary
-- key. It goes last, so that the key still serves the sweep's claim and delete by id alone.
ALTER TABLE timers DROP CONSTRAINT timers_pkey;
ALTER TABLE timers ADD CONSTRAINT timers_pkey PRIMARY KEY (id, city_code);
