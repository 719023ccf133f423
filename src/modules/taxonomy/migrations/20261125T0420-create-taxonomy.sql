-- The category tree is versioned: an edit writes a whole new version, so an order filed under
-- a node of an old version keeps pointing at exactly what it was filed under.
CREATE TABLE taxonomy_versions (
  id serial PRIMARY KEY,
  city_code text NOT NULL,
  version int NOT NULL,
  note text NOT NULL DEFAULT '',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (city_code, version)
);

CREATE TABLE categories (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  version_id int NOT NULL REFERENCES taxonomy_versions (id),
  code text NOT NULL,
  parent_code text,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  name text NOT NULL,
  -- the kind of handling unit that takes this category by default (units.kind)
  unit_kind text,
  -- default handling time limit, in working days
  time_limit_days smallint CHECK (time_limit_days BETWEEN 1 AND 60),
  sort int NOT NULL DEFAULT 0,
  UNIQUE (version_id, code)
);
CREATE INDEX categories_version_parent ON categories (version_id, parent_code);
