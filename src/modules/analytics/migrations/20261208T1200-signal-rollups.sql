-- Public opinion (舆情) in the rollups: each order's facts carry what the classifier flagged in its
-- text (anger, a matter raised again and again without a solution, danger), and every rollup row
-- counts them.
ALTER TABLE analytics_order_facts ADD COLUMN angry boolean NOT NULL DEFAULT false, ADD COLUMN repeated boolean NOT NULL DEFAULT false,
  ADD COLUMN danger boolean NOT NULL DEFAULT false;
ALTER TABLE analytics_daily ADD COLUMN angry int NOT NULL DEFAULT 0, ADD COLUMN repeated int NOT NULL DEFAULT 0, ADD COLUMN danger int NOT NULL DEFAULT 0;
ALTER TABLE analytics_unit_daily ADD COLUMN angry int NOT NULL DEFAULT 0, ADD COLUMN repeated int NOT NULL DEFAULT 0, ADD COLUMN danger int NOT NULL DEFAULT 0;

-- Counted once for the orders already counted (the SQL of classify/suggest.ts and rollups.ts as of this migration).
UPDATE analytics_order_facts f SET angry = g.angry, repeated = g.repeated, danger = g.danger
  FROM (SELECT DISTINCT ON (s.order_id) s.city_code, s.order_id,
               coalesce(s.detail->'signals' @> '[{"kind": "anger"}]', false) AS angry,
               coalesce(s.detail->'signals' @> '[{"kind": "repeated"}]', false) AS repeated,
               coalesce(s.detail->'signals' @> '[{"group": "danger"}]', false) AS danger
          FROM order_suggestions s ORDER BY s.order_id, s.id DESC) g
 WHERE g.city_code = f.city_code AND g.order_id = f.order_id AND (g.angry OR g.repeated OR g.danger);

CREATE TEMPORARY TABLE signal_members ON COMMIT DROP AS
SELECT f.city_code, f.lead_unit_id, f.day, m.dim, m.member, f.angry::int AS angry, f.repeated::int AS repeated, f.danger::int AS danger
  FROM analytics_order_facts f CROSS JOIN LATERAL (VALUES ('all', ''),
    ('category1', CASE WHEN length(f.category_code) >= 2 THEN left(f.category_code, 2) END),
    ('category2', CASE WHEN length(f.category_code) >= 4 THEN left(f.category_code, 4) END),
    ('category3', CASE WHEN length(f.category_code) >= 6 THEN left(f.category_code, 6) END),
    ('district', CASE WHEN length(f.area_code) >= 6 THEN left(f.area_code, 6) END),
    ('street', CASE WHEN length(f.area_code) >= 9 THEN left(f.area_code, 9) END),
    ('unit', f.lead_unit_id::text), ('channel', f.channel), ('type', f.request_type), ('state', f.state),
    ('callers', f.caller_group), ('callers_category1', f.caller_group || '|' || left(f.category_code, 2)),
    ('callers_channel', f.caller_group || '|' || f.channel), ('callers_type', f.caller_group || '|' || f.request_type)) AS m(dim, member)
 WHERE m.member IS NOT NULL AND (f.angry OR f.repeated OR f.danger);

UPDATE analytics_daily d SET angry = x.angry, repeated = x.repeated, danger = x.danger
  FROM (SELECT city_code, dim, member, day, sum(angry)::int AS angry, sum(repeated)::int AS repeated, sum(danger)::int AS danger
          FROM signal_members GROUP BY 1, 2, 3, 4) x
 WHERE x.city_code = d.city_code AND x.dim = d.dim AND x.member = d.member AND x.day = d.day;

UPDATE analytics_unit_daily d SET angry = x.angry, repeated = x.repeated, danger = x.danger
  FROM (SELECT city_code, lead_unit_id, dim, member, day, sum(angry)::int AS angry, sum(repeated)::int AS repeated, sum(danger)::int AS danger
          FROM signal_members WHERE lead_unit_id IS NOT NULL GROUP BY 1, 2, 3, 4, 5) x
 WHERE x.city_code = d.city_code AND x.lead_unit_id = d.unit_id AND x.dim = d.dim AND x.member = d.member AND x.day = d.day;
