-- The sender settles the outbox every second: claims a crash interrupted, and messages a day old.
-- Each of its two statements reads its own partial index, not the table. A survey's answer looks
-- for its phone's surveys, answered ones too (a delivery again): the index keeps all of them.
CREATE INDEX sms_outbox_sending ON sms_outbox (next_at) WHERE status = 'sending';
CREATE INDEX sms_outbox_pending_age ON sms_outbox (created_at) WHERE status = 'pending';
DROP INDEX sms_outbox_open_surveys;
CREATE INDEX sms_outbox_surveys ON sms_outbox (city_code, phone, sent_at DESC) WHERE kind = 'survey';
