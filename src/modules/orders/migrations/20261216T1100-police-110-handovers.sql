-- The orders the 110 police desk handed over (非警务警情移交), counted over up to a quarter beside the
-- calls 12345 transferred to 110: a small index of their own instead of a scan of every order.
CREATE INDEX orders_police_110 ON orders (city_code, created_at) WHERE channel = 'police_110';
