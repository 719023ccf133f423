-- Calls (来电): the events the call centre's telephony posts, kept as they came, and each call's
-- record derived from all of them (docs/telephony.md). Recordings stay at the telephony: a call
-- keeps only their reference.
CREATE TABLE call_events (
  city_code text NOT NULL,
  -- the telephony's id of the event: posted again, it is the same event
  event_id text NOT NULL,
  call_id text NOT NULL,
  type text NOT NULL,
  at timestamptz NOT NULL,
  -- the rest of the event as posted (caller, queue, seat, agent, target, party, reason, recording)
  detail jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city_code, event_id)
);
CREATE INDEX call_events_call ON call_events (city_code, call_id);

-- One row per call, rewritten from the call's events each time one arrives, under the row's lock:
-- the same events in any order give the same row.
CREATE TABLE calls (
  city_code text NOT NULL,
  call_id text NOT NULL,
  -- the call's id in the event log (its stream); log_seq numbers its events there
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  log_seq int NOT NULL DEFAULT 0,
  -- queued, ringing, talking, held, ended
  state text NOT NULL DEFAULT 'queued',
  -- when ended: answered, transferred, abandoned, unanswered
  outcome text,
  caller_phone text,
  callee text,
  queue text,
  offered_at timestamptz,
  answered_at timestamptz,
  ended_at timestamptz,
  -- the seat and agent who answered first; every seat that answered, in order
  seat text,
  agent text,
  seats text[] NOT NULL DEFAULT '{}',
  -- ringing events before the first answer (a seat rung twice counts twice)
  rings int NOT NULL DEFAULT 0,
  -- seconds, to the millisecond: waiting (offered → answered, or → abandoned), the answering seat's
  -- ringing, talking (answered → ended, less hold), on hold
  wait_seconds numeric(10, 3),
  ring_seconds numeric(10, 3),
  talk_seconds numeric(10, 3),
  hold_seconds numeric(10, 3) NOT NULL DEFAULT 0,
  -- [{at, kind, value, seat}]: where the call was passed on
  transfers jsonb NOT NULL DEFAULT '[]',
  -- [{at, party}]: third parties joined (三方通话)
  parties jsonb NOT NULL DEFAULT '[]',
  end_reason text,
  recording text,
  events int NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city_code, call_id),
  UNIQUE (id, city_code)
);
CREATE INDEX calls_offered ON calls (city_code, offered_at DESC);
CREATE INDEX calls_caller ON calls (city_code, caller_phone, offered_at DESC);
-- the calls not yet ended: the team lead's wall (waiting, on a call)
CREATE INDEX calls_live ON calls (city_code, offered_at) WHERE state <> 'ended';

-- The seats (坐席) of the call centre, by their extension at the telephony: who is signed in to each
-- and in what state they put themselves. A call answered at a seat pops up on that person's screen.
CREATE TABLE seats (
  city_code text NOT NULL,
  seat text NOT NULL,
  -- signed in now; NULL: nobody
  staff_id uuid,
  -- ready, not_ready (with a reason), after_call_work, signed_out
  state text NOT NULL DEFAULT 'signed_out',
  reason text,
  since timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city_code, seat)
);
-- one seat per person at a time
CREATE UNIQUE INDEX seats_staff ON seats (city_code, staff_id) WHERE staff_id IS NOT NULL;

-- The orders registered during each call (the agent's form carried the call's id), kept by the
-- call-orders consumer of the event log; answered_directly once the agent answered it on the spot.
CREATE TABLE call_orders (
  city_code text NOT NULL,
  call_id text NOT NULL,
  order_id uuid NOT NULL,
  tracking_no text NOT NULL,
  registered_at timestamptz NOT NULL,
  answered_directly boolean NOT NULL DEFAULT false,
  PRIMARY KEY (city_code, call_id, order_id)
);
CREATE INDEX call_orders_order ON call_orders (city_code, order_id);
