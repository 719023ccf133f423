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
