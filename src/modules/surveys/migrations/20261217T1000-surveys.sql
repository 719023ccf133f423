-- Opinion surveys (民意调查) the hotline runs on topics the city chooses: a survey's questions (with
-- skip logic), the people asked (from the callers of a period, a category or a place, sampled, or a
-- list) and their answers. A respondent answers once. Their number is kept only to reach them (an SMS
-- link, an agent's call); results and exports never show it.

CREATE TABLE surveys (
  city_code text NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  title text NOT NULL,
  intro text NOT NULL DEFAULT '',
  -- [{ "id": "q1", "kind": "single", "text": "…", "options": [{ "id": "a", "label": "…" }], "required": true, "showIf": … }]
  questions jsonb NOT NULL,
  -- how respondents answer: sms (a personal link), portal (the public form), outbound (an agent calls)
  channels text[] NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  opened_at timestamptz,
  closed_at timestamptz,
  PRIMARY KEY (city_code, id),
  UNIQUE (id, city_code)
);

-- The key of the numbers' hashes, one per city, made at its first survey: a survey's id is public
-- (the portal lists it), and a hash keyed by it alone would give a number back to anyone who tries
-- the 1.6 billion mobile numbers.
CREATE TABLE survey_secrets (
  city_code text PRIMARY KEY,
  secret text NOT NULL
);

-- Who is asked: `phone_key` (a keyed hash of the number) makes one respondent of a number per survey;
-- `phone` is kept for those to be reached (invited), never for the portal's; the area and category of
-- the request that made them a respondent serve the cross-tabs.
CREATE TABLE survey_respondents (
  city_code text NOT NULL,
  survey_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  token text NOT NULL,
  phone_key text NOT NULL,
  phone text,
  area_code text,
  category_code text,
  source text NOT NULL CHECK (source IN ('orders', 'list', 'portal')),
  added_at timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  -- the SMS invitation with the personal link: pending → sending → sent, or back to pending to retry,
  -- failed (refused for good) or unknown (no answer came: it may have gone, and is not sent twice)
  invite_status text CHECK (invite_status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  invite_attempts integer NOT NULL DEFAULT 0,
  invite_next_at timestamptz,
  invite_sent_at timestamptz,
  invite_error text,
  PRIMARY KEY (city_code, survey_id, id),
  UNIQUE (id, city_code),
  UNIQUE (city_code, survey_id, phone_key),
  FOREIGN KEY (city_code, survey_id) REFERENCES surveys (city_code, id)
);
CREATE UNIQUE INDEX survey_respondents_token ON survey_respondents (city_code, token);
CREATE INDEX survey_invitations_due ON survey_respondents (invite_next_at) WHERE invite_status = 'pending';
CREATE INDEX survey_invitations_sending ON survey_respondents (invite_next_at) WHERE invite_status = 'sending';

-- One answer per respondent: a second is refused by the key.
CREATE TABLE survey_answers (
  city_code text NOT NULL,
  survey_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('sms', 'portal', 'outbound')),
  answers jsonb NOT NULL,
  area_code text,
  -- the agent who asked, on an outbound call
  asked_by uuid,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (city_code, survey_id, respondent_id),
  FOREIGN KEY (city_code, survey_id) REFERENCES surveys (city_code, id)
);
