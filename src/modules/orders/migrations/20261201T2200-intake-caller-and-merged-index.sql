-- Two additions of 2026-12-01 (issue 10).
-- Who registered an order from a channel message, and what they sent: a retry of the message is
-- answered with the order only when it comes from the same caller with the same content.
ALTER TABLE orders ADD COLUMN intake_caller text;      -- 'staff:<id>' or 'api_key:<id>'
ALTER TABLE orders ADD COLUMN intake_fingerprint text; -- sha256 of the request, canonical JSON

-- The duplicates merged into an order: a merge of that order elsewhere is refused while it has any
-- (they would be left under an order that is itself merged). Few rows: merged orders only.
CREATE INDEX orders_merged_into ON orders (city_code, merged_into) WHERE merged_into IS NOT NULL;

-- Phone numbers as they are now stored and searched: digits only, without China's country code.
UPDATE orders SET citizen_phone = regexp_replace(regexp_replace(citizen_phone, '[\s().-]', '', 'g'), '^(\+86|0086)', '')
 WHERE citizen_phone ~ '[\s().+-]' OR citizen_phone LIKE '0086%';

-- Orders by the last four digits of the citizen's phone (an agent asks "the last four digits?").
CREATE INDEX orders_phone_tail ON orders (city_code, right(citizen_phone, 4), created_at DESC) WHERE citizen_phone IS NOT NULL;
