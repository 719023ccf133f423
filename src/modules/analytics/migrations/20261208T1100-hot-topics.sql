-- Hot topics (热点): clusters of similar recent requests from one district. Each new order joins the
-- active topic of its district whose keywords its own are closest to, or starts one; a topic keeps
-- the sum of its orders' keyword weights (its centroid) and, for finding candidates, the hashes of
-- its strongest keywords.
CREATE TABLE hot_topics (
  city_code text NOT NULL,
  id uuid NOT NULL,
  -- the district's area code; '' for orders that named no place
  district text NOT NULL,
  first_at timestamptz NOT NULL,
  last_at timestamptz NOT NULL,
  size int NOT NULL,
  -- {word: summed weight}, the strongest words only
  centroid jsonb NOT NULL,
  keys int4[] NOT NULL,
  PRIMARY KEY (id, city_code)
);
-- the active topics: candidates for a new order, the read's hot ones, the old ones to drop
CREATE INDEX hot_topics_active ON hot_topics (city_code, last_at);
CREATE INDEX hot_topics_keys ON hot_topics USING gin (keys);

-- Each clustered order: its topic, when it came, how close it was, its place and matter.
CREATE TABLE hot_topic_orders (
  city_code text NOT NULL,
  order_id uuid NOT NULL,
  topic_id uuid NOT NULL,
  at timestamptz NOT NULL,
  similarity real NOT NULL,
  area_code text,
  category_code text,
  PRIMARY KEY (city_code, order_id)
);
CREATE INDEX hot_topic_orders_topic ON hot_topic_orders (city_code, topic_id, at);

-- The words of each day's new orders (their keywords, as the hot topics read them), counted: what
-- public opinion's rising words compare, one span against the one before. Kept 90 days.
CREATE TABLE analytics_words_daily (
  city_code text NOT NULL,
  day date NOT NULL,
  word text NOT NULL,
  orders int NOT NULL,
  PRIMARY KEY (city_code, day, word)
);
