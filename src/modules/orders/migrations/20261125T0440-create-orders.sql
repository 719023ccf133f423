-- Work orders, their unit assignments and their append-only event history.
CREATE SEQUENCE order_tracking_seq;

CREATE TABLE orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code text NOT NULL,
  tracking_no text NOT NULL UNIQUE,
  channel text NOT NULL CHECK (channel IN ('phone', 'sms', 'web', 'weibo', 'wechat', 'app', 'api')),
  -- the message's id on its channel: a retried message finds its order instead of making a second one
  channel_ref text,
  request_type text NOT NULL CHECK (request_type IN
    ('enquiry', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other')),
  category_id bigint REFERENCES categories (id),
  title text NOT NULL,
  body text NOT NULL,
  citizen_name text,
  citizen_phone text,
  citizen_address text,
  confidential boolean NOT NULL DEFAULT false,
  location_address text,
  area_code text REFERENCES areas (code),
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent')),
  attachments jsonb NOT NULL DEFAULT '[]',
  state text NOT NULL,
  -- bumped by every change: a client may send the version it saw, and loses if it is stale
  version int NOT NULL DEFAULT 1,
  lead_unit_id uuid REFERENCES units (id),
  extension_pending boolean NOT NULL DEFAULT false,
  reopen_count int NOT NULL DEFAULT 0,
  urge_count int NOT NULL DEFAULT 0,
  escalated boolean NOT NULL DEFAULT false,
  merged_into uuid REFERENCES orders (id),
  -- words of title and text, space-separated, for the full-text index ('simple' configuration)
  search_text text NOT NULL DEFAULT '',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE UNIQUE INDEX orders_channel_ref ON orders (city_code, channel, channel_ref) WHERE channel_ref IS NOT NULL;
CREATE INDEX orders_created ON orders (city_code, created_at DESC);
CREATE INDEX orders_state ON orders (city_code, state, created_at DESC);
CREATE INDEX orders_phone ON orders (city_code, citizen_phone, created_at DESC) WHERE citizen_phone IS NOT NULL;
CREATE INDEX orders_search ON orders USING gin (to_tsvector('simple', search_text));

CREATE TABLE order_assignments (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  role text NOT NULL CHECK (role IN ('lead', 'co')),
  -- set when a unit passed the order down to a sub-unit (second-level dispatch)
  parent_assignment_id bigint REFERENCES order_assignments (id),
  status text NOT NULL CHECK (status IN ('active', 'returned', 'passed_down', 'done', 'withdrawn')),
  assigned_at timestamptz NOT NULL DEFAULT now(),
  assigned_by uuid,
  ended_at timestamptz
);
CREATE INDEX order_assignments_inbox ON order_assignments (unit_id, status, assigned_at DESC);
CREATE INDEX order_assignments_order ON order_assignments (order_id);

CREATE TABLE order_events (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  seq int NOT NULL,
  type text NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'api_key', 'system', 'citizen')),
  actor_id uuid,
  actor_role text,
  actor_unit_id uuid,
  at timestamptz NOT NULL DEFAULT now(),
  from_state text,
  to_state text NOT NULL,
  reason text,
  payload jsonb NOT NULL DEFAULT '{}',
  UNIQUE (order_id, seq)
);
CREATE INDEX order_events_at ON order_events (city_code, at);

CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events
  FOR EACH ROW EXECUTE FUNCTION minsheng_refuse_change();
CREATE TRIGGER order_events_no_truncate BEFORE TRUNCATE ON order_events
  FOR EACH STATEMENT EXECUTE FUNCTION minsheng_refuse_change();
