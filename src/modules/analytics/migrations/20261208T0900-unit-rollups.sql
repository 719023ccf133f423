-- The same daily counts for each lead unit (主办单位): what a unit, a district government or a
-- department reads of its own orders (summed over its unit and the units below it), while the
-- city's dashboards keep reading analytics_daily, the smaller table.
-- analytics_daily's columns and one more: the lead unit
CREATE TABLE analytics_unit_daily (unit_id uuid NOT NULL, LIKE analytics_daily);
-- a unit's query names its units and one dimension over a span of days
ALTER TABLE analytics_unit_daily ADD PRIMARY KEY (city_code, unit_id, dim, day, member);

-- Counted once from the facts the consumer already keeps (the SQL of rollups.ts as of this migration).
INSERT INTO analytics_unit_daily (city_code, unit_id, dim, member, day, orders, closed, direct, handling_seconds, overdue, reopened,
  extended, visited, satisfied, basically_satisfied, unsatisfied)
SELECT f.city_code, f.lead_unit_id, m.dim, m.member, f.day, count(*)::int, sum(f.closed::int)::int, sum(f.direct::int)::int,
       sum(coalesce(f.handling_seconds, 0)), sum(f.overdue::int)::int, sum(f.reopened::int)::int, sum(f.extended::int)::int,
       sum(f.visited::int)::int, sum((f.satisfaction IS NOT DISTINCT FROM 'satisfied')::int)::int,
       sum((f.satisfaction IS NOT DISTINCT FROM 'basically_satisfied')::int)::int, sum((f.satisfaction IS NOT DISTINCT FROM 'unsatisfied')::int)::int
  FROM analytics_order_facts f CROSS JOIN LATERAL (VALUES ('all', ''),
    ('category1', CASE WHEN length(f.category_code) >= 2 THEN left(f.category_code, 2) END),
    ('category2', CASE WHEN length(f.category_code) >= 4 THEN left(f.category_code, 4) END),
    ('category3', CASE WHEN length(f.category_code) >= 6 THEN left(f.category_code, 6) END),
    ('district', CASE WHEN length(f.area_code) >= 6 THEN left(f.area_code, 6) END),
    ('street', CASE WHEN length(f.area_code) >= 9 THEN left(f.area_code, 9) END),
    ('unit', f.lead_unit_id::text), ('channel', f.channel), ('type', f.request_type), ('state', f.state)) AS m(dim, member)
 WHERE f.lead_unit_id IS NOT NULL AND m.member IS NOT NULL
 GROUP BY f.city_code, f.lead_unit_id, m.dim, m.member, f.day;
