-- Durable timers: a row per thing to do at a moment (a deadline's warning, its overdue mark, a close
-- without a call). A sweep claims due rows with FOR UPDATE SKIP LOCKED, runs their handler and
-- deletes them in one transaction: each fires once, with any number of server processes, and a
-- timer due while the server was down fires at the next sweep.
CREATE TABLE timers (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  kind text NOT NULL,
  -- what the timer is about (an order) and the handler's own reference (a deadline round)
  subject_id uuid NOT NULL,
  ref bigint,
  detail text,
  due_at timestamptz NOT NULL,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timers_due ON timers (due_at);
