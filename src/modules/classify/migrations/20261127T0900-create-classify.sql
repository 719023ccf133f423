-- Text classification: trained models (stored here, not in loose files), the training runs, the
-- suggestions made for each order with the agent's choice, and the keywords of each order's text
-- that find similar orders.

-- One row per training run, whatever its outcome: the admin sees when retraining ran and why a
-- model was or was not switched in.
CREATE TABLE classifier_runs (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  -- who asked: a scheduled job, an admin through the API, an operator command, the demo seed
  cause text NOT NULL CHECK (cause IN ('schedule', 'api', 'cli', 'seed')),
  status text NOT NULL CHECK (status IN ('running', 'done', 'skipped', 'failed')),
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX classifier_runs_started ON classifier_runs (city_code, started_at DESC);
-- one run at a time per city, even when two admins ask at the same moment
CREATE UNIQUE INDEX classifier_runs_one_running ON classifier_runs (city_code) WHERE status = 'running';

CREATE TABLE classifier_models (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  run_id bigint REFERENCES classifier_runs (id),
  -- what it predicts: the category path, or the request type
  target text NOT NULL CHECK (target IN ('category', 'request_type')),
  version int NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'retired', 'rejected')),
  trained_at timestamptz NOT NULL,
  -- where the training texts came from: 'history' (closed orders) or 'csv:<file>'
  source text NOT NULL,
  training_texts int NOT NULL,
  held_back_texts int NOT NULL,
  -- the category tree version whose codes are its labels (category models)
  taxonomy_version int,
  -- its figures on the held-back texts, and the active model's on the same texts when there was one
  scores jsonb NOT NULL,
  baseline_scores jsonb,
  -- why it was switched in or not
  decision text NOT NULL,
  recipe jsonb NOT NULL,
  size_bytes int NOT NULL,
  model bytea NOT NULL,
  activated_at timestamptz,
  retired_at timestamptz,
  UNIQUE (city_code, target, version)
);
CREATE UNIQUE INDEX classifier_models_active ON classifier_models (city_code, target) WHERE status = 'active';

-- A suggestion made for an order (at registration, or when its text changed), and what the agent
-- chose when the order left the hotline (dispatched or answered directly).
CREATE TABLE order_suggestions (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  created_at timestamptz NOT NULL,
  cause text NOT NULL CHECK (cause IN ('registered', 'text_changed')),
  category_model_id bigint REFERENCES classifier_models (id),
  request_type_model_id bigint REFERENCES classifier_models (id),
  category_code text,
  category_confidence real,
  request_type text,
  request_type_confidence real,
  urgent boolean NOT NULL DEFAULT false,
  -- the suggestion as it was shown: alternatives, evidence, units, signals, similar orders
  detail jsonb NOT NULL,
  decided_at timestamptz,
  decided_by uuid,
  chosen_category_code text,
  category_outcome text CHECK (category_outcome IN ('accepted', 'corrected')),
  -- the chosen category was among the alternatives shown
  chosen_in_alternatives boolean,
  chosen_request_type text,
  request_type_outcome text CHECK (request_type_outcome IN ('accepted', 'corrected'))
);
CREATE INDEX order_suggestions_order ON order_suggestions (order_id, id DESC);
CREATE INDEX order_suggestions_decided ON order_suggestions (city_code, decided_at) WHERE decided_at IS NOT NULL;

-- The keywords of each order's text (jieba TF-IDF, hashed to int4) for finding similar orders.
CREATE TABLE order_text_keys (
  order_id uuid PRIMARY KEY REFERENCES orders (id),
  city_code text NOT NULL,
  created_at timestamptz NOT NULL,
  keys int4[] NOT NULL
);
CREATE INDEX order_text_keys_keys ON order_text_keys USING gin (keys);

-- How many orders carry each keyword, counted by a periodic job: a search starts from the rarer ones.
CREATE TABLE text_key_counts (
  city_code text NOT NULL,
  key int4 NOT NULL,
  orders int NOT NULL,
  PRIMARY KEY (city_code, key)
);
CREATE TABLE text_key_census (
  city_code text PRIMARY KEY,
  orders int NOT NULL,
  counted_at timestamptz NOT NULL
);
