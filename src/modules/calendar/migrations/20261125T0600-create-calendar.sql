-- China's official calendar of public holidays and adjusted working days (调休), one year at a time.
-- National, not per city. Days not listed follow the Monday–Friday week.
CREATE TABLE calendar_years (
  year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  -- where the year came from: the chinese-days package, or the State Council notice an operator typed in
  source text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  loaded_by text NOT NULL
);

CREATE TABLE calendar_days (
  day date PRIMARY KEY,
  year int NOT NULL REFERENCES calendar_years (year) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name text NOT NULL DEFAULT '',
  CHECK (extract(year FROM day) = year)
);
