-- Citus distributes the classifier's runs, models, suggestions and keywords by city_code with the
-- orders (docs/scale.md): city_code in every key and on both sides of every reference between them,
-- so that each is checked on one node. city_code goes last, so that the keys still serve the
-- lookups by id (and by order) alone. text_key_counts and text_key_census are keyed by city already.

-- The references that depend on the old keys go first.
ALTER TABLE order_suggestions DROP CONSTRAINT order_suggestions_category_model_id_fkey;
ALTER TABLE order_suggestions DROP CONSTRAINT order_suggestions_request_type_model_id_fkey;
ALTER TABLE classifier_models DROP CONSTRAINT classifier_models_run_id_fkey;

-- The keys.
ALTER TABLE classifier_runs DROP CONSTRAINT classifier_runs_pkey;
ALTER TABLE classifier_runs ADD CONSTRAINT classifier_runs_pkey PRIMARY KEY (id, city_code);
ALTER TABLE classifier_models DROP CONSTRAINT classifier_models_pkey;
ALTER TABLE classifier_models ADD CONSTRAINT classifier_models_pkey PRIMARY KEY (id, city_code);
ALTER TABLE order_suggestions DROP CONSTRAINT order_suggestions_pkey;
ALTER TABLE order_suggestions ADD CONSTRAINT order_suggestions_pkey PRIMARY KEY (id, city_code);
-- one row per order, as before; ON CONFLICT now names (order_id, city_code)
ALTER TABLE order_text_keys DROP CONSTRAINT order_text_keys_pkey;
ALTER TABLE order_text_keys ADD CONSTRAINT order_text_keys_pkey PRIMARY KEY (order_id, city_code);

-- The references, back with city_code on both sides (a null model id is not checked, as before).
ALTER TABLE classifier_models ADD CONSTRAINT classifier_models_run_id_fkey
  FOREIGN KEY (city_code, run_id) REFERENCES classifier_runs (city_code, id);
ALTER TABLE order_suggestions ADD CONSTRAINT order_suggestions_category_model_id_fkey
  FOREIGN KEY (city_code, category_model_id) REFERENCES classifier_models (city_code, id);
ALTER TABLE order_suggestions ADD CONSTRAINT order_suggestions_request_type_model_id_fkey
  FOREIGN KEY (city_code, request_type_model_id) REFERENCES classifier_models (city_code, id);
ALTER TABLE order_suggestions DROP CONSTRAINT order_suggestions_order_id_fkey;
ALTER TABLE order_suggestions ADD CONSTRAINT order_suggestions_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);
ALTER TABLE order_text_keys DROP CONSTRAINT order_text_keys_order_id_fkey;
ALTER TABLE order_text_keys ADD CONSTRAINT order_text_keys_order_id_fkey FOREIGN KEY (city_code, order_id) REFERENCES orders (city_code, id);
