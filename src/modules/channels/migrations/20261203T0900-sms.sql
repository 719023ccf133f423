-- The SMS outbox (sms/outbox.ts): every message to a citizen, written by the event consumer in the
-- transaction that reads its event (one row per event and kind, however often the log is re-read),
-- then sent by the sender at most once. A survey keeps the citizen's answer (the inbound message's id).
CREATE TABLE sms_outbox (
  id bigserial NOT NULL,
  city_code text NOT NULL,
  order_id uuid NOT NULL,
  event_position bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('intake', 'reply', 'survey')),
  phone text NOT NULL,
  params jsonb NOT NULL,
  -- pending → sending → sent; failed (refused for good, or out of tries); unknown (no answer came:
  -- perhaps sent, so never sent again); expired (not sent within its day)
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'expired')),
  attempts int NOT NULL DEFAULT 0,
  next_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  sent_at timestamptz,
  provider_ref text,
  last_error text,
  answered_at timestamptz,
  answer_ref text,
  PRIMARY KEY (id, city_code),
  UNIQUE (city_code, event_position, kind)
);
CREATE INDEX sms_outbox_due ON sms_outbox (next_at) WHERE status = 'pending';
CREATE INDEX sms_outbox_open_surveys ON sms_outbox (city_code, phone, sent_at DESC) WHERE kind = 'survey' AND answered_at IS NULL;
CREATE INDEX sms_outbox_order ON sms_outbox (order_id);

-- Nonces of signed SMS gateway callbacks already taken: a replayed callback is refused. Kept until
-- its timestamp leaves the accepted window.
CREATE TABLE sms_callback_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sms_callback_nonces_expiry ON sms_callback_nonces (expires_at);
