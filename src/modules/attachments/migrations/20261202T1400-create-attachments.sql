-- Files citizens send with a request (photos, documents): the bytes in the file store (a folder or
-- S3-compatible storage), their description here. An upload waits for the submission it was made
-- for (upload_ref: that submission's client reference) and is then the order's; one never claimed
-- is removed after a day.
CREATE TABLE attachments (
  id uuid NOT NULL,
  city_code text NOT NULL,
  order_id uuid,
  upload_ref text NOT NULL,
  name text NOT NULL,
  -- the type read from the content itself, never the name's or the browser's word
  content_type text NOT NULL,
  size int NOT NULL CHECK (size > 0),
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- led by the id, with the city as every key of a per-city table has it (docs/scale.md)
  PRIMARY KEY (id, city_code),
  FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id)
);
CREATE INDEX attachments_order ON attachments (order_id, created_at) WHERE order_id IS NOT NULL;
CREATE INDEX attachments_unclaimed ON attachments (upload_ref) WHERE order_id IS NULL;
CREATE INDEX attachments_unclaimed_age ON attachments (created_at) WHERE order_id IS NULL;
