-- The citizen's identity on the channel they wrote from (wechat:<openid>, weibo:<uid>, app:<account
-- id>), beside their phone number: the two ways a citizen is recognised across channels and orders.
ALTER TABLE orders ADD COLUMN citizen_identity text;

-- Orders those channels registered before: their channel reference begins with the identity.
UPDATE orders SET citizen_identity = channel || ':' || split_part(channel_ref, ':', 1)
 WHERE channel IN ('wechat', 'weibo', 'app') AND intake_caller LIKE 'citizen:%' AND channel_ref LIKE '%:%';

CREATE INDEX orders_citizen_identity ON orders (city_code, citizen_identity, created_at DESC) WHERE citizen_identity IS NOT NULL;
