-- Early warning (突发事件预警): a burst of similar reports in one area beyond what the area's history
-- predicts. "Similar" is the same category at the tree's third level; "one area" is the order's own
-- area (a community, or a street when the caller named none). A cell is one area × one category.

-- The thresholds, per city (an admin changes them; defaults in warning-settings.ts).
CREATE TABLE warning_settings (
  city_code text PRIMARY KEY,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

-- What each cell's history predicts (area_code '' holds each category over the whole city): its rates of reports per day, exponentially weighted averages
-- (time constants: the settings' baseline days, and three days for recent growth) kept as of `at`
-- and decayed when next read.
CREATE TABLE warning_baselines (
  city_code text NOT NULL,
  area_code text NOT NULL,
  category_code text NOT NULL,
  rate float8 NOT NULL,
  recent_rate float8 NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (city_code, area_code, category_code)
);

-- The recent reports of each cell (the counting window; older rows are pruned as reports come).
CREATE TABLE warning_recent (
  city_code text NOT NULL,
  area_code text NOT NULL,
  category_code text NOT NULL,
  at timestamptz NOT NULL,
  order_id uuid NOT NULL,
  PRIMARY KEY (city_code, area_code, category_code, at, order_id)
);
CREATE INDEX warning_recent_at ON warning_recent (city_code, at);

-- The warnings raised, each with its state and the people who acknowledged and closed it. Its
-- history is in the event log (stream 'warning'); `version` is its last event's seq.
CREATE TABLE early_warnings (
  city_code text NOT NULL,
  id uuid NOT NULL,
  version int NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'acknowledged', 'closed')),
  area_code text NOT NULL,
  area_path text[] NOT NULL,
  category_code text NOT NULL,
  category_path text[] NOT NULL,
  first_report_at timestamptz NOT NULL,
  -- the crossing report (the one that took the count beyond what was expected), registered at crossed_at
  crossing_order_id uuid NOT NULL,
  crossed_at timestamptz NOT NULL,
  -- when the warning was raised (a replay of history raises it at crossed_at)
  raised_at timestamptz NOT NULL,
  last_report_at timestamptz NOT NULL,
  reports int NOT NULL,
  -- reports expected in the window from the cell's history, and the chance of seeing as many
  expected float8 NOT NULL,
  probability float8 NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  acknowledged_text text,
  closed_at timestamptz,
  closed_by text,
  outcome text CHECK (outcome IN ('confirmed', 'false_alarm')),
  outcome_text text,
  -- the id first (a warning is found by its id alone); city_code in the key, as Citus requires
  PRIMARY KEY (id, city_code)
);
CREATE INDEX early_warnings_crossed ON early_warnings (city_code, crossed_at DESC);
-- a new report looks for the cell's warning still taking reports
CREATE INDEX early_warnings_cell ON early_warnings (city_code, area_code, category_code, last_report_at DESC) WHERE status <> 'closed';

CREATE TABLE early_warning_reports (
  city_code text NOT NULL,
  warning_id uuid NOT NULL,
  order_id uuid NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (city_code, warning_id, order_id),
  FOREIGN KEY (warning_id, city_code) REFERENCES early_warnings (id, city_code)
);
