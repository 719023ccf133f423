-- Matters the 110 police desk hands over to 12345 (非警务警情移交, 国办发〔2022〕12号) as a channel
-- of their own: the desk's system (an API key with orders:create), or an agent on its call, registers
-- each with the handover's reference as the channel reference, so a handover sent twice is one order,
-- and the statistics count them by channel beside the calls 12345 transfers to 110.
INSERT INTO channels (code, name_zh, name_en, answers_citizen, sort) VALUES ('police_110', '110 移交', '110 handover', false, 15)
ON CONFLICT (code) DO NOTHING;
