-- The conversations of channels that know a citizen by an identity of their own (a WeChat openid, a
-- Weibo user id): each identity's latest request, the one a photo or a place they send next joins.
CREATE TABLE channel_conversations (
  city_code text NOT NULL,
  channel text NOT NULL REFERENCES channels (code),
  identity text NOT NULL,
  order_id uuid NOT NULL,
  msg_id text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (city_code, channel, identity)
);

-- Which order each photo or place went to, by its message: the channel's next delivery of the same
-- message follows it there, even when the citizen has written a new request meanwhile.
CREATE TABLE channel_supplements (
  city_code text NOT NULL,
  channel text NOT NULL REFERENCES channels (code),
  identity text NOT NULL,
  msg_id text NOT NULL,
  order_id uuid NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (city_code, channel, identity, msg_id)
);

-- The nonces of signed callbacks whose signature does not cover the body (WeChat's plain mode,
-- Weibo), each with a digest of the body it came with: a delivery again may repeat both, but a
-- signed query cannot carry another body. Kept while the timestamp is in the 5-minute window.
CREATE TABLE channel_nonces (
  channel text NOT NULL,
  nonce text NOT NULL,
  digest text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (channel, nonce)
);
CREATE INDEX channel_nonces_expiry ON channel_nonces (expires_at);
