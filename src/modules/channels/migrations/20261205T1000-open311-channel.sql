-- Open311 GeoReport v2 clients (apps built for the standard) as a channel: a row, as every channel is.
INSERT INTO channels (code, name_zh, name_en, answers_citizen, sort) VALUES ('open311', 'Open311 接口', 'Open311', false, 65)
ON CONFLICT (code) DO NOTHING;
