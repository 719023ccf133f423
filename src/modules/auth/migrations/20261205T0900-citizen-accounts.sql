-- Citizens who sign in to the mobile app with their phone: the account, the one-time codes sent to
-- the phone by SMS, and the sessions. Like staff sessions, secrets are stored only as hashes.
CREATE TABLE citizens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code text NOT NULL,
  phone text NOT NULL,                  -- the mobile number the codes proved, digits only
  created_at timestamptz NOT NULL DEFAULT now(),
  last_signed_in_at timestamptz,
  UNIQUE (city_code, phone)
);

-- The latest code sent to each phone (a new code replaces it), and how many were sent in the
-- current hour: one row per phone, so that concurrent requests for codes queue on it.
CREATE TABLE citizen_sign_in_codes (
  city_code text NOT NULL,
  phone text NOT NULL,
  code_hash text NOT NULL,              -- sha256 of city:phone:code, hex (a code lives 5 minutes)
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  failed_attempts int NOT NULL DEFAULT 0,
  used_at timestamptz,
  window_started_at timestamptz NOT NULL,
  sent_in_window int NOT NULL,
  PRIMARY KEY (city_code, phone)
);

CREATE TABLE citizen_sessions (
  token_hash text PRIMARY KEY,          -- sha256 of the bearer token, hex
  citizen_id uuid NOT NULL REFERENCES citizens (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX citizen_sessions_citizen ON citizen_sessions (citizen_id);
