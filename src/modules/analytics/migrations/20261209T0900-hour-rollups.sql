-- The hour of registration (Beijing, 0–23) in each order's facts, and a rollup dimension `hour` in
-- the city's rollups (not the units': see CITY_ONLY_DIMENSIONS in rollups.ts): the day's rhythm,
-- and today so far against the same hours a year ago on the leadership screen.
ALTER TABLE analytics_order_facts ADD COLUMN hour smallint;

-- Counted once for the orders already counted (the SQL of orders/facts.ts and rollups.ts as of this migration).
UPDATE analytics_order_facts f SET hour = extract(hour FROM o.created_at AT TIME ZONE 'Asia/Shanghai')::smallint
  FROM orders o WHERE o.city_code = f.city_code AND o.id = f.order_id;

INSERT INTO analytics_daily (city_code, dim, member, day, orders, closed, direct, handling_seconds, overdue, reopened, extended, visited,
                             satisfied, basically_satisfied, unsatisfied, angry, repeated, danger)
SELECT city_code, 'hour', lpad(hour::text, 2, '0'), day, count(*)::int, sum(closed::int)::int, sum(direct::int)::int,
       sum(coalesce(handling_seconds, 0)), sum(overdue::int)::int, sum(reopened::int)::int, sum(extended::int)::int, sum(visited::int)::int,
       count(*) FILTER (WHERE satisfaction = 'satisfied')::int, count(*) FILTER (WHERE satisfaction = 'basically_satisfied')::int,
       count(*) FILTER (WHERE satisfaction = 'unsatisfied')::int, sum(angry::int)::int, sum(repeated::int)::int, sum(danger::int)::int
  FROM analytics_order_facts WHERE hour IS NOT NULL
 GROUP BY city_code, hour, day;
