-- Each channel's counters by day (counts.ts): messages received by outcome (accepted, a duplicate
-- delivery, refused: detail is the error code), and messages sent to citizens and failed.
CREATE TABLE channel_counts (
  city_code text NOT NULL,
  channel text NOT NULL REFERENCES channels (code),
  day date NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('accepted', 'duplicate', 'refused', 'sent', 'failed')),
  detail text NOT NULL DEFAULT '',
  n bigint NOT NULL,
  PRIMARY KEY (city_code, channel, day, outcome, detail)
);
