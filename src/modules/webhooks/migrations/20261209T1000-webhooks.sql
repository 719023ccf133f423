-- Webhooks (数据接口: 实时推送): a unit, or a city-wide consumer, receives the events of the orders it
-- may see, POSTed to its URL, signed, in the order of the log, retried until they are taken.
-- Each subscription keeps its own cursor in the log (the last event delivered, or passed over as
-- not its own): nothing is copied per event, and a replay moves the cursor back.
CREATE TABLE webhook_subscriptions (
  city_code text NOT NULL,
  id uuid NOT NULL,
  -- the unit whose orders (and its sub-units') it receives; NULL: the whole city
  unit_id uuid,
  name text NOT NULL,
  url text NOT NULL,
  -- the HMAC-SHA256 key of the signature, shown once when created
  secret text NOT NULL,
  -- event types it receives (order.dispatched…); NULL: every order event
  types text[],
  active boolean NOT NULL DEFAULT true,
  -- the log position delivered through (events.tx_id, events.id)
  cursor_tx xid8 NOT NULL,
  cursor_position bigint NOT NULL,
  -- failed tries in a row, the next try, the last error
  failures int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  last_delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (city_code, id)
);
CREATE INDEX webhook_subscriptions_due ON webhook_subscriptions (next_attempt_at) WHERE active;

-- Each try (a batch of events, or the error), kept 30 days: what the subscription's owner reads.
CREATE TABLE webhook_attempts (
  city_code text NOT NULL,
  subscription_id uuid NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  at timestamptz NOT NULL DEFAULT now(),
  first_position bigint NOT NULL,
  last_position bigint NOT NULL,
  events int NOT NULL,
  status int,
  ms int NOT NULL,
  error text,
  PRIMARY KEY (city_code, subscription_id, id)
);
CREATE INDEX webhook_attempts_at ON webhook_attempts (at);
