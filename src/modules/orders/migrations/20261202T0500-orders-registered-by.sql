-- An agent's own recent orders (GET /orders?registeredBy=me): newest first, from the index alone.
CREATE INDEX orders_created_by ON orders (city_code, created_by, created_at DESC) WHERE created_by IS NOT NULL;
