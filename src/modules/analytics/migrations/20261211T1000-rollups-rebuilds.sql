-- A rebuild of the rollups in pieces that dies half way leaves them neither the old figures nor the
-- new: each rebuild is recorded from its start to its end, so that the dashboards can say so.
CREATE TABLE analytics_rebuilds (
  city_code text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz
);
