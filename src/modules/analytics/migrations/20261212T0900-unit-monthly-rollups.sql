-- The units' daily counts summed by month: what a unit's or a district government's trend over
-- months, and its totals over a span, read for the whole months of the span (a day's rows only for
-- the days at its ends). Two years of a district's daily rows are thirteen thousand rows, each
-- on its own page as the consumer writes them through the day; their months are six hundred.
-- Kept by the rollups consumer beside the daily rows, and counted from them by a rebuild.
CREATE TABLE analytics_unit_monthly (LIKE analytics_unit_daily);
ALTER TABLE analytics_unit_monthly RENAME COLUMN day TO month;
ALTER TABLE analytics_unit_monthly ADD CONSTRAINT analytics_unit_monthly_first_day CHECK (month = date_trunc('month', month)::date);
ALTER TABLE analytics_unit_monthly ADD PRIMARY KEY (city_code, unit_id, dim, month, member);
-- A unit's reads are a few thousand rows by the key: parallel workers cost more than they save
-- (a district's 12-month trend, the server choosing them: 23.8 ms, 17.3 without).
ALTER TABLE analytics_unit_monthly SET (parallel_workers = 0);
ALTER TABLE analytics_unit_daily SET (parallel_workers = 0);

INSERT INTO analytics_unit_monthly (city_code, unit_id, dim, member, month, orders, closed, direct, handling_seconds, overdue, reopened,
  extended, visited, satisfied, basically_satisfied, unsatisfied, angry, repeated, danger)
SELECT city_code, unit_id, dim, member, date_trunc('month', day)::date, sum(orders), sum(closed), sum(direct), sum(handling_seconds),
       sum(overdue), sum(reopened), sum(extended), sum(visited), sum(satisfied), sum(basically_satisfied), sum(unsatisfied),
       sum(angry), sum(repeated), sum(danger)
  FROM analytics_unit_daily
 GROUP BY city_code, unit_id, dim, member, date_trunc('month', day)
 ORDER BY city_code, unit_id, dim, date_trunc('month', day), member;
