-- The channels citizens reach the hotline by. Data, not a CHECK list: a new channel is a row.
CREATE TABLE channels (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  -- a citizen hears back on it (the portal, SMS, WeChat…); staff-only ways in (phone, API) do not
  answers_citizen boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  sort int NOT NULL DEFAULT 0
);
INSERT INTO channels (code, name_zh, name_en, answers_citizen, sort) VALUES
  ('phone', '电话', 'Phone', false, 10),
  ('web', '市长信箱', 'Mayor''s mailbox (web)', true, 20),
  ('sms', '短信', 'SMS', true, 30),
  ('wechat', '微信', 'WeChat', true, 40),
  ('weibo', '微博', 'Weibo', true, 50),
  ('app', '手机应用', 'Mobile app', true, 60),
  ('api', '接口', 'API', false, 70);

-- Secrets the channels derive from (the portal's lookup codes, its proof-of-work challenges),
-- made once per city at first use: kept in the database so that every process agrees on them.
CREATE TABLE channel_secrets (
  city_code text NOT NULL,
  name text NOT NULL,
  secret bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city_code, name)
);

-- Proof-of-work challenges already spent on a submission: a solution is good for one request (and
-- for its retries, which carry the same client reference). Kept until the challenge expires.
CREATE TABLE portal_spent_challenges (
  nonce text PRIMARY KEY,
  client_ref text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX portal_spent_challenges_expiry ON portal_spent_challenges (expires_at);
