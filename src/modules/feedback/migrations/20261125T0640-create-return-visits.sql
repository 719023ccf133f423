-- Return visits (回访): after a unit's reply, and for a sample of orders an agent answered directly.
-- One row per visit; each call is an event on the order (order.visit_attempted / order.visited).
CREATE TABLE return_visits (
  id bigserial PRIMARY KEY,
  city_code text NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  reason text NOT NULL CHECK (reason IN ('reply', 'direct_answer_sample')),
  -- pending: to call; done: satisfied and closed; unreachable: no answer after the last attempt;
  -- to_confirm: unsolved or unsatisfied, waiting for the supervisor; reopened / closed: decided;
  -- withdrawn: the order moved on without this visit (closed or reopened by the hotline)
  status text NOT NULL CHECK (status IN ('pending', 'done', 'unreachable', 'to_confirm', 'reopened', 'closed', 'withdrawn')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  reached boolean,
  solved boolean,
  satisfaction text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  comment text,
  visited_by uuid,
  visited_at timestamptz,
  decided_by uuid,
  decided_at timestamptz,
  decision_reason text,
  created_at timestamptz NOT NULL
);
CREATE INDEX return_visits_queue ON return_visits (city_code, next_attempt_at) WHERE status = 'pending';
CREATE INDEX return_visits_to_confirm ON return_visits (city_code, visited_at) WHERE status = 'to_confirm';
CREATE INDEX return_visits_order ON return_visits (order_id);
