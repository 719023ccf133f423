-- The SMS outbox becomes every channel's (outbox.ts): a WeChat follower or a Weibo user hears the
-- answer and the survey on their own channel, through the same consumer and the same sender. A
-- message's address is where on its channel: a mobile number, an openid, a Weibo user id.
ALTER TABLE sms_outbox RENAME TO outbox;
ALTER TABLE outbox RENAME COLUMN phone TO address;
ALTER TABLE outbox ADD COLUMN channel text NOT NULL DEFAULT 'sms';
ALTER TABLE outbox ALTER COLUMN channel DROP DEFAULT;
-- the sender claims due messages of the channels it has a messenger for: by channel, then time
DROP INDEX sms_outbox_due;
CREATE INDEX outbox_due ON outbox (channel, next_at) WHERE status = 'pending';
ALTER INDEX sms_outbox_sending RENAME TO outbox_sending;
ALTER INDEX sms_outbox_pending_age RENAME TO outbox_pending_age;
ALTER INDEX sms_outbox_order RENAME TO outbox_order;
-- a survey's answer comes on the channel it was sent on, from the address it was sent to
DROP INDEX sms_outbox_surveys;
CREATE INDEX outbox_surveys ON outbox (city_code, channel, address, sent_at DESC) WHERE kind = 'survey';
-- one message answers one survey. The claim before this migration could mark two surveys of one
-- phone with one message (and rate only the first): the others are open again.
UPDATE outbox o SET answered_at = NULL, answer_ref = NULL
 WHERE o.answer_ref IS NOT NULL AND EXISTS (
   SELECT 1 FROM outbox f WHERE f.city_code = o.city_code AND f.channel = o.channel AND f.address = o.address
      AND f.answer_ref = o.answer_ref AND f.id < o.id);
-- a delivery of it at the same moment as another cannot take a second
CREATE UNIQUE INDEX outbox_answers ON outbox (city_code, channel, address, answer_ref) WHERE answer_ref IS NOT NULL;
ALTER TABLE outbox RENAME CONSTRAINT sms_outbox_pkey TO outbox_pkey;
-- an answer tells its own citizen and those of the requests merged into it: one row per event, order and kind
ALTER TABLE outbox DROP CONSTRAINT sms_outbox_city_code_event_position_kind_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_order_kind UNIQUE (city_code, event_position, order_id, kind);
ALTER TABLE outbox RENAME CONSTRAINT sms_outbox_kind_check TO outbox_kind_check;
ALTER TABLE outbox RENAME CONSTRAINT sms_outbox_status_check TO outbox_status_check;
ALTER SEQUENCE sms_outbox_id_seq RENAME TO outbox_id_seq;
