-- Citus distributes the audit log by city_code (docs/scale.md): city_code in the primary key. It goes
-- last, so that the key still finds a row by its id alone.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id, city_code);
