-- A notice may concern no order: the month's analysis report is ready (written by the analytics
-- module's schedule). Its order and tracking number are then null, and its detail says what it is.
ALTER TABLE notices ALTER COLUMN order_id DROP NOT NULL;
ALTER TABLE notices ALTER COLUMN tracking_no DROP NOT NULL;
