-- Credentials, sessions and API keys. Secrets are stored only as hashes.
CREATE TABLE staff_credentials (
  staff_id uuid PRIMARY KEY REFERENCES staff (id),
  password_hash text NOT NULL,          -- argon2id, PHC string
  failed_logins int NOT NULL DEFAULT 0, -- consecutive failures since the last success
  locked_until timestamptz,
  changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code text NOT NULL,
  token_hash text NOT NULL UNIQUE,      -- sha256 of the bearer token, hex
  staff_id uuid NOT NULL REFERENCES staff (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_staff ON sessions (staff_id);

CREATE TABLE api_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city_code text NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,                 -- first characters of the key, shown to tell keys apart
  key_hash text NOT NULL UNIQUE,        -- sha256 of the key, hex (keys are 256-bit random)
  scopes text[] NOT NULL,
  unit_id uuid REFERENCES units (id),   -- a unit's own system acts for that unit only
  created_by uuid REFERENCES staff (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
