-- What each order counts for in the rollups now (its day and dimensions, and its measures): the
-- consumer takes an order's old row out of the rollups and puts its new one in, so a change is
-- counted once however often its events are read.
CREATE TABLE analytics_order_facts (
  city_code text NOT NULL,
  order_id uuid NOT NULL,
  day date NOT NULL,
  category_code text,
  area_code text,
  lead_unit_id uuid,
  channel text NOT NULL,
  request_type text NOT NULL,
  state text NOT NULL,
  closed boolean NOT NULL,
  direct boolean NOT NULL,
  handling_seconds bigint,
  overdue boolean NOT NULL,
  reopened boolean NOT NULL,
  extended boolean NOT NULL,
  visited boolean NOT NULL,
  satisfaction text,
  PRIMARY KEY (city_code, order_id)
);

-- Daily counts by one dimension at a time (`dim`: all, category1/2/3, district, street, unit,
-- channel, type, state; `member`: its value), by the day the orders were registered (Beijing).
-- A dashboard reads these, never the orders.
CREATE TABLE analytics_daily (
  city_code text NOT NULL,
  dim text NOT NULL,
  member text NOT NULL,
  day date NOT NULL,
  orders int NOT NULL,
  closed int NOT NULL,
  direct int NOT NULL,
  handling_seconds bigint NOT NULL,
  overdue int NOT NULL,
  reopened int NOT NULL,
  extended int NOT NULL,
  visited int NOT NULL,
  satisfied int NOT NULL,
  basically_satisfied int NOT NULL,
  unsatisfied int NOT NULL,
  PRIMARY KEY (city_code, dim, member, day)
);
-- a trend or a top-N reads one dimension over a span of days, all members at once
CREATE INDEX analytics_daily_by_day ON analytics_daily (city_code, dim, day);
