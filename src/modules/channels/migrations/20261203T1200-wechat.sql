-- WeChat: each follower's (openid's) latest request by the official account, the conversation a
-- photo or a location they send next is added to.
CREATE TABLE wechat_conversations (
  city_code text NOT NULL,
  openid text NOT NULL,
  order_id uuid NOT NULL,
  msg_id text NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (city_code, openid)
);

-- Which order each photo or location went to, by its message: WeChat's next delivery of the same
-- message follows it there, even when the follower has written a new request meanwhile.
CREATE TABLE wechat_supplements (
  city_code text NOT NULL,
  openid text NOT NULL,
  msg_id text NOT NULL,
  order_id uuid NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (city_code, openid, msg_id)
);
