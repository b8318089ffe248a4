-- The serving layer's merge (SPEC 3), the one implementation of the combine rule: every bucket is
-- the batch rows (trades before the cutoff) combined with the speed layer's minute aggregates at or
-- after the cutoff, rolled up to the bucket. The batch period is a whole number of minutes, so a
-- speed minute lies wholly on one side of the cutoff; speed minutes before it (late trades, counted
-- by status) wait for the next batch run. Each view reads the cutoff and both sides in one statement,
-- so one snapshot: a publish (one transaction) is seen whole or not at all.
-- Buckets are UTC whatever the session's time zone (BI tools set their own).

CREATE FUNCTION merged_source(parts text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN 'batch' = ALL (parts) THEN 'batch' WHEN 'speed' = ALL (parts) THEN 'speed' ELSE 'merged' END
$$;

-- Every partial aggregate with the bucket size (grain) it counts in: the batch rows of each grain, and
-- the speed minutes at or after the cutoff rolled up to each grain.
CREATE VIEW serving_parts AS
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
SELECT g.grain, s.symbol, date_trunc(g.grain, s.bucket, 'UTC'), s.open, s.high, s.low, s.close, s.volume, s.trades, s.notional,
       s.first_ts, s.first_partition, s.first_offset, s.last_ts, s.last_partition, s.last_offset, 'speed'
FROM lambda.speed_minute s
CROSS JOIN (VALUES ('minute'), ('hour'), ('day')) AS g (grain)
WHERE s.bucket >= (SELECT cutoff_ts FROM lambda.cutoff);

-- The combine rule, once: open and close by the keys of the first and last trade, sums, extremes.
CREATE VIEW serving_buckets AS
SELECT grain, symbol, bucket,
       (array_agg(open ORDER BY first_ts, first_partition, first_offset))[1] AS open,
       max(high) AS high,
       min(low) AS low,
       (array_agg(close ORDER BY last_ts DESC, last_partition DESC, last_offset DESC))[1] AS close,
       sum(volume) AS volume,
       sum(trades)::bigint AS trades,
       sum(notional) AS notional,
       CASE WHEN sum(volume) = 0 THEN NULL ELSE sum(notional) / sum(volume) END AS vwap,
       min(first_ts) AS first_ts,
       max(last_ts) AS last_ts,
       lambda.merged_source(array_agg(DISTINCT part)) AS source
FROM lambda.serving_parts
GROUP BY grain, symbol, bucket;

CREATE VIEW serving_minute AS
SELECT symbol, bucket, open, high, low, close, volume, trades, notional, vwap, first_ts, last_ts, source
FROM lambda.serving_buckets WHERE grain = 'minute';

CREATE VIEW serving_hourly AS
SELECT symbol, bucket, open, high, low, close, volume, trades, notional, vwap, first_ts, last_ts, source
FROM lambda.serving_buckets WHERE grain = 'hour';

CREATE VIEW serving_daily AS
SELECT symbol, bucket, (bucket AT TIME ZONE 'UTC')::date AS date, open, high, low, close, volume, trades, notional, vwap, first_ts, last_ts, source
FROM lambda.serving_buckets WHERE grain = 'day';

-- The start of a symbol's second most recent day with trades: its two latest days are found by index
-- probes (the batch's two latest days, the speed layer's last two), so that serving_latest aggregates
-- two days of a symbol, not its whole history. It reads the tables with its owner's rights, as the
-- views do: role lambda_reader may call it without SELECT on them.
CREATE FUNCTION recent_days_start(wanted text) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE
SECURITY DEFINER SET search_path = lambda, pg_temp AS $$
    WITH speed_last AS (
        SELECT date_trunc('day', bucket, 'UTC') AS day FROM lambda.speed_minute
        WHERE symbol = wanted AND bucket >= (SELECT cutoff_ts FROM lambda.cutoff)
        ORDER BY bucket DESC LIMIT 1)
    SELECT min(day) FROM (
        SELECT day FROM (
            (SELECT bucket AS day FROM lambda.batch_daily WHERE symbol = wanted ORDER BY bucket DESC LIMIT 2)
            UNION
            (SELECT day FROM speed_last)
            UNION
            (SELECT date_trunc('day', m.bucket, 'UTC') FROM lambda.speed_minute m
             WHERE m.symbol = wanted AND m.bucket >= (SELECT cutoff_ts FROM lambda.cutoff) AND m.bucket < (SELECT day FROM speed_last)
             ORDER BY m.bucket DESC LIMIT 1)
        ) days ORDER BY day DESC LIMIT 2) latest_two
$$;

-- Per symbol: its last day in the merged daily view against the day before it (the previous close).
-- Symbols come from skip scans of the two tables' (symbol, bucket) keys, one probe a symbol.
CREATE VIEW serving_latest AS
WITH RECURSIVE batch_symbols AS (
    SELECT min(symbol) AS symbol FROM lambda.batch_daily
    UNION ALL
    SELECT (SELECT min(b.symbol) FROM lambda.batch_daily b WHERE b.symbol > batch_symbols.symbol) FROM batch_symbols WHERE batch_symbols.symbol IS NOT NULL
), speed_symbols AS (
    SELECT min(symbol) AS symbol FROM lambda.speed_minute
    UNION ALL
    SELECT (SELECT min(m.symbol) FROM lambda.speed_minute m WHERE m.symbol > speed_symbols.symbol) FROM speed_symbols WHERE speed_symbols.symbol IS NOT NULL
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
       d.date,
       d.open AS day_open,
       d.high AS day_high,
       d.low AS day_low,
       d.volume AS day_volume,
       d.trades AS day_trades,
       d.vwap AS day_vwap,
       d.last_ts AS last_trade_ts,
       d.source
FROM symbols s
-- OFFSET 0 keeps the start a value computed once a symbol, not an expression evaluated on every row.
CROSS JOIN LATERAL (SELECT lambda.recent_days_start(s.symbol) AS since OFFSET 0) r
CROSS JOIN LATERAL (
    SELECT v.*, lead(v.close) OVER (ORDER BY v.bucket DESC) AS previous_close
    FROM lambda.serving_daily v
    WHERE v.symbol = s.symbol AND v.bucket >= r.since
    ORDER BY v.bucket DESC LIMIT 1) d;

COMMENT ON VIEW serving_latest IS 'Last price per symbol, with change and % change against the previous day''s close';
COMMENT ON VIEW serving_daily IS 'Merged daily aggregates: batch before the cutoff, speed at or after it (source batch, speed or merged)';
COMMENT ON VIEW serving_hourly IS 'Merged hourly aggregates: batch before the cutoff, speed at or after it (source batch, speed or merged)';
COMMENT ON VIEW serving_minute IS 'Merged minute aggregates: batch before the cutoff, speed at or after it (source batch or speed)';

-- A role for BI tools: SELECT on the serving views only. It cannot log in until the serving layer
-- sets its password from configuration (serving.reader.password).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lambda_reader') THEN
        CREATE ROLE lambda_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA lambda TO lambda_reader;
GRANT SELECT ON lambda.serving_minute, lambda.serving_hourly, lambda.serving_daily, lambda.serving_latest TO lambda_reader;
GRANT EXECUTE ON FUNCTION lambda.merged_source(text[]), lambda.recent_days_start(text) TO lambda_reader;
