-- The speed side of each hour and day at or after the cutoff, maintained as trades commit, so that
-- the serving views read a row per symbol and bucket instead of rolling a day's minutes up on every
-- query. The speed commit merges its partials into speed_minute, speed_hourly and speed_daily in one
-- transaction (by first and last key, as speed_minute); the rollups hold only minutes at or after the
-- cutoff, so the publish, which moves the cutoff, drops the buckets it passed and rebuilds the one it
-- cuts in two from speed_minute.

CREATE TABLE speed_hourly (LIKE speed_minute INCLUDING ALL);
CREATE TABLE speed_daily (LIKE speed_minute INCLUDING ALL);

-- speed_minute's rows in [since, until) rolled up to the grain (hour or day, UTC) by the combine rule.
CREATE FUNCTION speed_minutes_rolled_up(grain text, since timestamptz, until timestamptz)
RETURNS TABLE (symbol text, bucket timestamptz, open double precision, high double precision, low double precision,
               close double precision, volume double precision, trades bigint, notional double precision,
               first_ts timestamptz, first_partition integer, first_offset bigint,
               last_ts timestamptz, last_partition integer, last_offset bigint)
LANGUAGE sql STABLE AS $$
    SELECT m.symbol, date_trunc(grain, m.bucket, 'UTC'),
           (array_agg(m.open ORDER BY m.first_ts, m.first_partition, m.first_offset))[1], max(m.high), min(m.low),
           (array_agg(m.close ORDER BY m.last_ts DESC, m.last_partition DESC, m.last_offset DESC))[1],
           sum(m.volume), sum(m.trades)::bigint, sum(m.notional),
           min(m.first_ts),
           (array_agg(m.first_partition ORDER BY m.first_ts, m.first_partition, m.first_offset))[1],
           (array_agg(m.first_offset ORDER BY m.first_ts, m.first_partition, m.first_offset))[1],
           max(m.last_ts),
           (array_agg(m.last_partition ORDER BY m.last_ts DESC, m.last_partition DESC, m.last_offset DESC))[1],
           (array_agg(m.last_offset ORDER BY m.last_ts DESC, m.last_partition DESC, m.last_offset DESC))[1]
    FROM lambda.speed_minute m
    WHERE m.bucket >= since AND m.bucket < until
    GROUP BY 1, 2
$$;

INSERT INTO speed_hourly (symbol, bucket, open, high, low, close, volume, trades, notional,
                          first_ts, first_partition, first_offset, last_ts, last_partition, last_offset)
SELECT * FROM speed_minutes_rolled_up('hour', (SELECT cutoff_ts FROM cutoff), 'infinity');
INSERT INTO speed_daily (symbol, bucket, open, high, low, close, volume, trades, notional,
                         first_ts, first_partition, first_offset, last_ts, last_partition, last_offset)
SELECT * FROM speed_minutes_rolled_up('day', (SELECT cutoff_ts FROM cutoff), 'infinity');

-- The speed side of each grain from its own table: speed_hourly and speed_daily hold nothing before the
-- cutoff, speed_minute holds the late minutes there, which wait for the next batch run.
CREATE OR REPLACE VIEW serving_parts AS
SELECT 'minute' AS grain, symbol, bucket, open, high, low, close, volume, trades, notional,
       first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'batch' AS part
FROM lambda.batch_minute
UNION ALL
SELECT 'hour', symbol, bucket, open, high, low, close, volume, trades, notional,
       first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'batch'
FROM lambda.batch_hourly
UNION ALL
SELECT 'day', symbol, bucket, open, high, low, close, volume, trades, notional,
       first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'batch'
FROM lambda.batch_daily
UNION ALL
SELECT 'minute', symbol, bucket, open, high, low, close, volume, trades, notional,
       first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'speed'
FROM lambda.speed_minute
WHERE bucket >= (SELECT cutoff_ts FROM lambda.cutoff)
UNION ALL
SELECT 'hour', symbol, bucket, open, high, low, close, volume, trades, notional,
       first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'speed'
FROM lambda.speed_hourly
UNION ALL
SELECT 'day', symbol, bucket, open, high, low, close, volume, trades, notional,
       first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'speed'
FROM lambda.speed_daily;

-- Per symbol: its last day in the merged daily view against the day before it (the previous close).
-- The two latest merged days are among the two latest rows of each daily table (a day in the top two
-- of the union has at most one day above it in either table), so a symbol costs two index probes of
-- two rows each, combined by the rule of serving_buckets, instead of the generic views' plan.
CREATE OR REPLACE VIEW serving_latest AS
WITH RECURSIVE batch_symbols AS (
    SELECT min(symbol) AS symbol FROM lambda.batch_daily
    UNION ALL
    SELECT (SELECT min(b.symbol) FROM lambda.batch_daily b WHERE b.symbol > batch_symbols.symbol) FROM batch_symbols WHERE batch_symbols.symbol IS NOT NULL
), speed_symbols AS (
    SELECT min(symbol) AS symbol FROM lambda.speed_daily
    UNION ALL
    SELECT (SELECT min(d.symbol) FROM lambda.speed_daily d WHERE d.symbol > speed_symbols.symbol) FROM speed_symbols WHERE speed_symbols.symbol IS NOT NULL
), symbols AS (
    SELECT symbol FROM batch_symbols WHERE symbol IS NOT NULL
    UNION
    SELECT symbol FROM speed_symbols WHERE symbol IS NOT NULL
)
SELECT s.symbol,
       d.close AS price,
       d.close - d.previous_close AS change,
       CASE WHEN d.previous_close IS NULL THEN NULL ELSE 100 * (d.close - d.previous_close) / d.previous_close END AS pct_change,
       d.previous_close,
       (d.bucket AT TIME ZONE 'UTC')::date AS date,
       d.open AS day_open,
       d.high AS day_high,
       d.low AS day_low,
       d.volume AS day_volume,
       d.trades AS day_trades,
       d.vwap AS day_vwap,
       d.last_ts AS last_trade_ts,
       d.source
FROM symbols s
CROSS JOIN LATERAL (
    SELECT days.*, lead(days.close) OVER (ORDER BY days.bucket DESC) AS previous_close
    FROM (
        SELECT p.bucket,
               (array_agg(p.open ORDER BY p.first_ts, p.first_partition, p.first_offset))[1] AS open,
               max(p.high) AS high,
               min(p.low) AS low,
               (array_agg(p.close ORDER BY p.last_ts DESC, p.last_partition DESC, p.last_offset DESC))[1] AS close,
               sum(p.volume) AS volume,
               sum(p.trades)::bigint AS trades,
               CASE WHEN sum(p.volume) = 0 THEN NULL ELSE sum(p.notional) / sum(p.volume) END AS vwap,
               max(p.last_ts) AS last_ts,
               lambda.merged_source(array_agg(DISTINCT p.part)) AS source
        FROM (
            (SELECT bucket, open, high, low, close, volume, trades, notional, first_ts, first_partition, first_offset,
                    last_ts, last_partition, last_offset, 'batch' AS part
             FROM lambda.batch_daily WHERE symbol = s.symbol ORDER BY bucket DESC LIMIT 2)
            UNION ALL
            (SELECT bucket, open, high, low, close, volume, trades, notional, first_ts, first_partition, first_offset,
                    last_ts, last_partition, last_offset, 'speed'
             FROM lambda.speed_daily WHERE symbol = s.symbol ORDER BY bucket DESC LIMIT 2)
        ) p
        GROUP BY p.bucket
        ORDER BY p.bucket DESC
        LIMIT 2) days
    ORDER BY days.bucket DESC
    LIMIT 1) d;

-- Nothing reads it any more: serving_latest finds a symbol's latest days itself.
DROP FUNCTION recent_days_start(text);
