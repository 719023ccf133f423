-- An order's channel is one of the channels table's rows (the channels module), not a fixed list.
ALTER TABLE orders DROP CONSTRAINT orders_channel_check;
ALTER TABLE orders ADD CONSTRAINT orders_channel_fkey FOREIGN KEY (channel) REFERENCES channels (code);
