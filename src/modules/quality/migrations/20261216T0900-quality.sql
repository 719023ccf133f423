-- Quality review (质检): scoring sheets the hotline defines, the agents' work that may be sampled
-- (kept by the quality-work consumer from the event log), and the reviews of the samples drawn.

-- A scoring sheet: its items in order, each with the most it can score. A sheet is never edited once
-- a review used it: a changed sheet is a new one, and the old is retired (active = false).
CREATE TABLE quality_sheets (
  city_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  -- [{ "label": "分类准确", "max": 20, "guide": "…" }, …]
  items jsonb NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city_code, id),
  UNIQUE (id, city_code)
);

-- What each agent did that a review may look at, one row per order or call. An order is the work
-- of the staff member who registered it, or (from another channel) who first took the hotline's
-- decision on it (dispatched it or answered it); a call is the work of the agent who answered it.
CREATE TABLE quality_work (
  city_code text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('order', 'call')),
  -- the order's id, or the telephony's id of the call
  subject_id text NOT NULL,
  agent_id uuid NOT NULL,
  at timestamptz NOT NULL,
  tracking_no text,
  -- an order registered during a call; a call during which an order was registered
  call_id text,
  has_order boolean NOT NULL DEFAULT false,
  answered_directly boolean NOT NULL DEFAULT false,
  -- the agent of the hotline's latest dispatch, answerable if the unit's return of it stands
  dispatched_by uuid,
  return_pending boolean NOT NULL DEFAULT false,
  PRIMARY KEY (city_code, kind, subject_id)
);
CREATE INDEX quality_work_month ON quality_work (city_code, at);

-- What draws an order into the sample of the month it happened in, each time it happens: mis-routed
-- (a unit's return to the hotline that the hotline accepted by dispatching the order again: the
-- agent of the dispatch returned answers for it) and reopened (重办: the agent whose work it is).
CREATE TABLE quality_marks (
  city_code text NOT NULL,
  order_id text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('misrouted', 'reopened')),
  at timestamptz NOT NULL,
  agent_id uuid NOT NULL,
  PRIMARY KEY (city_code, order_id, reason, at)
);
CREATE INDEX quality_marks_at ON quality_marks (city_code, at);

-- A sample drawn for review: one per agent and subject, with every reason it was drawn for; scored
-- once reviewed (scores in the sheet's item order). `month` is the month of the work (its first day).
CREATE TABLE quality_reviews (
  city_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  month date NOT NULL,
  agent_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('order', 'call')),
  subject_id text NOT NULL,
  tracking_no text,
  work_at timestamptz NOT NULL,
  reasons text[] NOT NULL,
  drawn_at timestamptz NOT NULL DEFAULT now(),
  drawn_by uuid,
  sheet_id uuid,
  scores jsonb,
  score numeric(7, 2),
  max_score numeric(7, 2),
  comment text,
  reviewer_id uuid,
  reviewer_name text,
  reviewed_at timestamptz,
  PRIMARY KEY (city_code, id),
  UNIQUE (id, city_code),
  -- one sample per agent, subject and month: a January reopening of an order drawn in December is January's
  UNIQUE (city_code, kind, subject_id, agent_id, month),
  FOREIGN KEY (city_code, sheet_id) REFERENCES quality_sheets (city_code, id)
);
CREATE INDEX quality_reviews_month ON quality_reviews (city_code, month, agent_id);
