-- The requests an app citizen keeps in "my requests": those they submitted in the app, and those
-- they follow by tracking number and lookup code (a request they phoned in, sent by SMS…).
CREATE TABLE app_requests (
  city_code text NOT NULL,
  citizen_id uuid NOT NULL,
  order_id uuid NOT NULL,
  -- submitted in the app (true) or followed (false): a followed request can be let go, one's own cannot
  submitted boolean NOT NULL,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (city_code, citizen_id, order_id)
);
CREATE INDEX app_requests_newest ON app_requests (city_code, citizen_id, added_at DESC, order_id DESC);
