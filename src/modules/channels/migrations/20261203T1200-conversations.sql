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
