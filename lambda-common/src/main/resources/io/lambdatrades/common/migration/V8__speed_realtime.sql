-- The speed layer in real-time mode commits small groups of trades per Kafka partition rather than
-- micro-batches: one row per partition (query 'speed-realtime', batch_id = the partition) counts what
-- that partition's writer committed, its newest trade time and its last commit, for status and
-- freshness; exactly once rests on speed_offsets and speed_trades' key, as before.
ALTER TABLE speed_batches ADD COLUMN newest_trade_ts timestamptz;
