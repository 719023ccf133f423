-- The words' tsvector was stored beside their text (512 bytes an order, a third of the orders' heap):
-- index the expression instead. A search walking orders by date checks the terms as written
-- (strpos, the cheaper test) before the tsvector, so it computes the tsvector only for rows that
-- already match; and as the walk's cost now counts that computation, the planner no longer walks
-- a whole history on a rare word it takes for common (1M orders, 2026-12-05: 路灯 1,360 ms walking
-- with the stored column, 1.1 ms by the expression's index; 小区 投诉 walking, 6.4 → 4.9 ms).
CREATE INDEX orders_search ON orders USING gin (to_tsvector('simple', search_text));
ALTER TABLE orders DROP COLUMN search_vector;
