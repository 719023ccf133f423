-- Callers by how often they contact the hotline (once, 2–5, 6–20, more: Jinan's 2017 study). Each
-- caller (a pseudonym: the hash of the phone number, else of the channel identity) keeps their
-- contacts over the whole history; each order's facts carry its caller and the caller's group, and
-- the rollups count four more dimensions: the group, and the group by top-level category, by
-- channel and by request type.
CREATE TABLE analytics_callers (
  city_code text NOT NULL,
  caller text NOT NULL,
  contacts int NOT NULL,
  PRIMARY KEY (city_code, caller)
);
-- how many callers each group holds, and their contacts: what the caller analysis reads
CREATE TABLE analytics_caller_groups (
  city_code text NOT NULL,
  caller_group text NOT NULL,
  callers int NOT NULL,
  contacts bigint NOT NULL,
  PRIMARY KEY (city_code, caller_group)
);
ALTER TABLE analytics_order_facts ADD COLUMN caller text, ADD COLUMN caller_group text;
-- a caller crossing into another group takes their earlier orders with them
CREATE INDEX analytics_order_facts_caller ON analytics_order_facts (city_code, caller) WHERE caller IS NOT NULL;

-- Counted once for the orders already counted (the SQL of orders/facts.ts and rollups.ts as of this migration).
UPDATE analytics_order_facts f SET caller = md5(o.city_code || ':' || coalesce(o.citizen_phone, o.citizen_identity))
  FROM orders o WHERE o.city_code = f.city_code AND o.id = f.order_id;
INSERT INTO analytics_callers SELECT city_code, caller, count(*)::int FROM analytics_order_facts WHERE caller IS NOT NULL GROUP BY 1, 2;
UPDATE analytics_order_facts f
   SET caller_group = CASE WHEN k.contacts = 1 THEN '1' WHEN k.contacts <= 5 THEN '2-5' WHEN k.contacts <= 20 THEN '6-20' ELSE '21+' END
  FROM analytics_callers k WHERE k.city_code = f.city_code AND k.caller = f.caller;

INSERT INTO analytics_caller_groups
SELECT city_code, CASE WHEN contacts = 1 THEN '1' WHEN contacts <= 5 THEN '2-5' WHEN contacts <= 20 THEN '6-20' ELSE '21+' END, count(*)::int, sum(contacts)
  FROM analytics_callers GROUP BY 1, 2;

CREATE TEMPORARY TABLE caller_members ON COMMIT DROP AS
SELECT f.city_code, f.lead_unit_id, f.day, m.dim, m.member, f.closed, f.direct, f.handling_seconds, f.overdue, f.reopened, f.extended,
       f.visited, f.satisfaction
  FROM analytics_order_facts f CROSS JOIN LATERAL (VALUES ('callers', f.caller_group),
    ('callers_category1', f.caller_group || '|' || left(f.category_code, 2)), ('callers_channel', f.caller_group || '|' || f.channel),
    ('callers_type', f.caller_group || '|' || f.request_type)) AS m(dim, member)
 WHERE m.member IS NOT NULL;

INSERT INTO analytics_daily (city_code, dim, member, day, orders, closed, direct, handling_seconds, overdue, reopened, extended, visited,
  satisfied, basically_satisfied, unsatisfied)
SELECT city_code, dim, member, day, count(*)::int, sum(closed::int)::int, sum(direct::int)::int, sum(coalesce(handling_seconds, 0)),
       sum(overdue::int)::int, sum(reopened::int)::int, sum(extended::int)::int, sum(visited::int)::int,
       sum((satisfaction IS NOT DISTINCT FROM 'satisfied')::int)::int, sum((satisfaction IS NOT DISTINCT FROM 'basically_satisfied')::int)::int,
       sum((satisfaction IS NOT DISTINCT FROM 'unsatisfied')::int)::int
  FROM caller_members GROUP BY city_code, dim, member, day;

INSERT INTO analytics_unit_daily (city_code, unit_id, dim, member, day, orders, closed, direct, handling_seconds, overdue, reopened, extended,
  visited, satisfied, basically_satisfied, unsatisfied)
SELECT city_code, lead_unit_id, dim, member, day, count(*)::int, sum(closed::int)::int, sum(direct::int)::int, sum(coalesce(handling_seconds, 0)),
       sum(overdue::int)::int, sum(reopened::int)::int, sum(extended::int)::int, sum(visited::int)::int,
       sum((satisfaction IS NOT DISTINCT FROM 'satisfied')::int)::int, sum((satisfaction IS NOT DISTINCT FROM 'basically_satisfied')::int)::int,
       sum((satisfaction IS NOT DISTINCT FROM 'unsatisfied')::int)::int
  FROM caller_members WHERE lead_unit_id IS NOT NULL GROUP BY city_code, lead_unit_id, dim, member, day;
