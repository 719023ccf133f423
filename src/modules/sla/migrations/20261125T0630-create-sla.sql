-- Deadline settings per city (JSON, merged over the defaults in src/modules/sla/settings.ts).
CREATE TABLE sla_settings (
  city_code text PRIMARY KEY,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL
);

-- One row per time the hotline hands an order to a unit (派单, or 重办 after a return visit): its
-- deadlines, and the facts assessment counts, each recorded at the moment it happened and never
-- recomputed. A unit that passes the order down stays answerable for the round.
CREATE TABLE order_rounds (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  unit_id uuid NOT NULL REFERENCES units (id),
  round int NOT NULL,
  cause text NOT NULL CHECK (cause IN ('dispatch', 'reopen')),
  urgency text NOT NULL,
  -- how the deadlines count: working days on the official calendar, or clock hours (urgent)
  basis text NOT NULL CHECK (basis IN ('working_days', 'hours')),
  started_at timestamptz NOT NULL,
  sign_due_at timestamptz NOT NULL,
  sign_warn_at timestamptz NOT NULL,
  reply_due_at timestamptz NOT NULL,
  reply_warn_at timestamptz NOT NULL,
  close_due_at timestamptz NOT NULL,
  close_warn_at timestamptz NOT NULL,
  -- false when a deadline crossed a year whose holiday calendar was not loaded (weekends assumed)
  calendar_complete boolean NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  ended_at timestamptz,
  end_reason text,
  signed_at timestamptz,
  signed_on_time boolean,
  replied_at timestamptz,
  replied_on_time boolean,
  closed_at timestamptz,
  closed_on_time boolean,
  sign_warned_at timestamptz,
  sign_overdue_at timestamptz,
  reply_warned_at timestamptz,
  reply_overdue_at timestamptz,
  close_warned_at timestamptz,
  close_overdue_at timestamptz,
  extension_days int NOT NULL DEFAULT 0,
  extensions_requested int NOT NULL DEFAULT 0,
  extensions_denied int NOT NULL DEFAULT 0,
  paused_at timestamptz,
  paused_ms bigint NOT NULL DEFAULT 0,
  pauses int NOT NULL DEFAULT 0,
  returned_at timestamptz,
  return_outcome text CHECK (return_outcome IN ('upheld', 'rejected')),
  urged int NOT NULL DEFAULT 0,
  escalated_at timestamptz,
  visit_reached boolean,
  visit_solved boolean,
  visit_satisfaction text CHECK (visit_satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  visited_at timestamptz,
  reopened_at timestamptz,
  UNIQUE (order_id, round)
);
-- assessment reads a period's rounds; supervision reads the active ones
CREATE INDEX order_rounds_started ON order_rounds (city_code, started_at);
CREATE INDEX order_rounds_active ON order_rounds (city_code, unit_id) WHERE status = 'active';

-- Notices to staff: an urge, an escalation, a warning or an overdue mark on their unit's order.
CREATE TABLE notices (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  staff_id uuid NOT NULL REFERENCES staff (id),
  order_id uuid NOT NULL REFERENCES orders (id),
  -- deadline_warning, overdue, urged, escalated: the message is written from kind and detail
  kind text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  read_at timestamptz
);
CREATE INDEX notices_staff ON notices (staff_id, created_at DESC);
