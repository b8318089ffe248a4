-- Each symbol's two latest days of batch_daily, kept by batch_daily's own triggers (whoever writes it:
-- the publish, a restore, a test), so that serving_latest reads a few rows a symbol in one pass instead
-- of probing two indexes a symbol on every query. The two latest merged days of a symbol are among the
-- two latest rows of each daily table (a day in the top two of the union has at most one day above it
-- in either table), so these rows and speed_daily's are all serving_latest needs.
CREATE TABLE batch_latest_days (LIKE batch_daily INCLUDING ALL);

INSERT INTO batch_latest_days
SELECT d.* FROM (SELECT DISTINCT symbol FROM batch_daily) s
CROSS JOIN LATERAL (SELECT * FROM batch_daily b WHERE b.symbol = s.symbol ORDER BY b.bucket DESC LIMIT 2) d;

-- The symbols a statement changed, their two latest days taken again. The table lock makes concurrent
-- publishes take turns here (readers are not blocked); each statement then sees the other's commit.
CREATE FUNCTION batch_latest_days_of_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE lambda.batch_latest_days IN EXCLUSIVE MODE;
    DELETE FROM lambda.batch_latest_days WHERE symbol IN (SELECT symbol FROM changed);
    INSERT INTO lambda.batch_latest_days
    SELECT d.* FROM (SELECT DISTINCT symbol FROM changed) s
    CROSS JOIN LATERAL (SELECT * FROM lambda.batch_daily b WHERE b.symbol = s.symbol ORDER BY b.bucket DESC LIMIT 2) d;
    RETURN NULL;
END $$;

-- An update may move a row to another symbol, and a truncate names none: every symbol is taken again.
CREATE FUNCTION batch_latest_days_rebuilt() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE lambda.batch_latest_days IN EXCLUSIVE MODE;
    DELETE FROM lambda.batch_latest_days;
    INSERT INTO lambda.batch_latest_days
    SELECT d.* FROM (SELECT DISTINCT symbol FROM lambda.batch_daily) s
    CROSS JOIN LATERAL (SELECT * FROM lambda.batch_daily b WHERE b.symbol = s.symbol ORDER BY b.bucket DESC LIMIT 2) d;
    RETURN NULL;
END $$;

CREATE TRIGGER batch_latest_days_inserted AFTER INSERT ON batch_daily
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION batch_latest_days_of_changed();
CREATE TRIGGER batch_latest_days_deleted AFTER DELETE ON batch_daily
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION batch_latest_days_of_changed();
CREATE TRIGGER batch_latest_days_updated AFTER UPDATE ON batch_daily
    FOR EACH STATEMENT EXECUTE FUNCTION batch_latest_days_rebuilt();
CREATE TRIGGER batch_latest_days_truncated AFTER TRUNCATE ON batch_daily
    FOR EACH STATEMENT EXECUTE FUNCTION batch_latest_days_rebuilt();

-- Per symbol: its last day in the merged daily view against the day before it (the previous close),
-- from the two latest batch days above and the speed layer's days, combined by the rule of
-- serving_buckets in one pass over every symbol (about three rows a symbol).
CREATE OR REPLACE VIEW serving_latest AS
SELECT r.symbol,
       r.close AS price,
       r.close - r.previous_close AS change,
       CASE WHEN r.previous_close IS NULL THEN NULL ELSE 100 * (r.close - r.previous_close) / r.previous_close END AS pct_change,
       r.previous_close,
       (r.bucket AT TIME ZONE 'UTC')::date AS date,
       r.open AS day_open,
       r.high AS day_high,
       r.low AS day_low,
       r.volume AS day_volume,
       r.trades AS day_trades,
       r.vwap AS day_vwap,
       r.last_ts AS last_trade_ts,
       r.source
FROM (
    SELECT days.*, lead(days.close) OVER recent AS previous_close, row_number() OVER recent AS recency
    FROM (
        SELECT p.symbol, p.bucket,
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
            SELECT symbol, bucket, open, high, low, close, volume, trades, notional, first_ts, first_partition, first_offset,
                   last_ts, last_partition, last_offset, 'batch' AS part
            FROM lambda.batch_latest_days
            UNION ALL
            SELECT symbol, bucket, open, high, low, close, volume, trades, notional, first_ts, first_partition, first_offset,
                   last_ts, last_partition, last_offset, 'speed'
            FROM lambda.speed_daily
        ) p
        GROUP BY p.symbol, p.bucket
    ) days
    WINDOW recent AS (PARTITION BY days.symbol ORDER BY days.bucket DESC)
) r
WHERE r.recency = 1;
