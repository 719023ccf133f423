-- Which units may see an order: every unit it was ever assigned to, and each of their ancestors
-- (a district sees what its street offices and communities handle). One row per (unit, order),
-- written when the order is assigned, so that "my unit's orders, newest first" walks one index
-- instead of sorting the unit's whole history, and a visibility check is one primary-key probe.
CREATE TABLE order_scopes (
  unit_id uuid NOT NULL REFERENCES units (id),
  order_id uuid NOT NULL REFERENCES orders (id),
  city_code text NOT NULL,
  -- the order's registration time, copied so that a unit's orders can be walked newest first
  order_created_at timestamptz NOT NULL,
  PRIMARY KEY (unit_id, order_id)
);
CREATE INDEX order_scopes_unit_time ON order_scopes (unit_id, order_created_at DESC, order_id DESC);
CREATE INDEX order_scopes_order ON order_scopes (order_id);

INSERT INTO order_scopes (unit_id, order_id, city_code, order_created_at)
SELECT DISTINCT ancestor.id::uuid, a.order_id, a.city_code, o.created_at
  FROM order_assignments a
  JOIN units u ON u.id = a.unit_id
  JOIN orders o ON o.id = a.order_id
  CROSS JOIN LATERAL unnest(string_to_array(trim(BOTH '/' FROM u.path), '/')) AS ancestor(id);
