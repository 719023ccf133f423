-- Tickets for the live event stream. A browser's EventSource cannot send an Authorization header,
-- so it exchanges its session for a short-lived ticket (POST /events/tickets) and puts the ticket in
-- the stream's URL. The ticket is good until it expires (a reconnecting EventSource reuses it) and
-- never outlives its session: it names the session, checked on every use. Stored as a hash only.
CREATE TABLE stream_tickets (
  ticket_hash text PRIMARY KEY,
  city_code text NOT NULL,
  -- sha256 of the session token it was issued for
  session_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_tickets_expiry ON stream_tickets (expires_at);
