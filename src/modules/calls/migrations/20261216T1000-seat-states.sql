-- Each seat's states over time, from the agent (Minsheng's seat bar) or from the telephony (its
-- pause and wrap-up), so that after-call work counts in the handling time and a seat's day can be
-- told: the open row (ended_at NULL) is the seat's state now, as `seats` says it.
CREATE TABLE seat_states (
  city_code text NOT NULL,
  seat text NOT NULL,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  staff_id uuid,
  state text NOT NULL,
  reason text,
  -- who set it: agent (Minsheng) or telephony
  source text NOT NULL CHECK (source IN ('agent', 'telephony')),
  -- after-call work: the call it follows (the last call the seat answered that had ended)
  after_call text,
  PRIMARY KEY (city_code, seat, started_at)
);
CREATE INDEX seat_states_open ON seat_states (city_code, seat) WHERE ended_at IS NULL;
CREATE INDEX seat_states_after_call ON seat_states (city_code, after_call) WHERE after_call IS NOT NULL;
-- a period's states, for the agents' seat time
CREATE INDEX seat_states_time ON seat_states (city_code, started_at);

-- who set the seat's state now
ALTER TABLE seats ADD COLUMN source text NOT NULL DEFAULT 'agent' CHECK (source IN ('agent', 'telephony'));
