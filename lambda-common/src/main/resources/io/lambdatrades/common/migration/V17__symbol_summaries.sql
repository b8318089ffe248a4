-- Each symbol's row of serving_latest with the hourly closes of its last 24 hours (the API's symbol
-- list and its sparklines), kept as trades commit instead of computed on every read: reading it is
-- a scan of a row per symbol. The speed commit refreshes the symbols it merged minutes of, the
-- publish every symbol, each at the end of its own transaction, from the serving views themselves,
-- so the rows are the views' answer at that commit, never another rule.

CREATE TABLE symbol_summaries (
    symbol text PRIMARY KEY,
    price double precision,
    change double precision,
    pct_change double precision,
    previous_close double precision,
    date date,
    day_open double precision,
    day_high double precision,
    day_low double precision,
    day_volume double precision,
    day_trades bigint,
    day_vwap double precision,
    last_trade_ts timestamptz,
    source text,
    hourly_closes double precision[]
);

-- changed: the symbols whose trades the transaction wrote; null for every symbol (the publish, which
-- moves the cutoff under all of them). The rows are locked before the views are read: in READ
-- COMMITTED each statement below sees every transaction committed before the lock was granted, so
-- two speed writers of one symbol (two partitions in real-time mode) cannot leave the older answer.
-- Generic plans from the first call: planning the views' statement costs ten times running it.
CREATE FUNCTION refresh_symbol_summaries(changed text[]) RETURNS void LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF changed IS NULL THEN
        -- Readers go on; a speed commit waits (it cannot be in flight: the publish holds speed_minute).
        LOCK TABLE lambda.symbol_summaries IN EXCLUSIVE MODE;
        DELETE FROM lambda.symbol_summaries;
        -- One statement below for both cases, planned as a probe of the symbols named.
        changed := ARRAY(SELECT symbol FROM lambda.serving_latest);
    ELSE
        -- A row to lock even for a symbol's first trade; in symbol order, so two writers queue, never deadlock.
        INSERT INTO lambda.symbol_summaries (symbol) SELECT DISTINCT s FROM unnest(changed) AS s ORDER BY s ON CONFLICT (symbol) DO NOTHING;
        PERFORM 1 FROM lambda.symbol_summaries WHERE symbol = ANY (changed) ORDER BY symbol FOR UPDATE;
    END IF;
    INSERT INTO lambda.symbol_summaries AS t
    SELECT l.symbol, l.price, l.change, l.pct_change, l.previous_close, l.date, l.day_open, l.day_high, l.day_low, l.day_volume,
           l.day_trades, l.day_vwap, l.last_trade_ts, l.source, s.closes
    FROM lambda.serving_latest l
    -- OFFSET 0 keeps the sparkline a probe of one symbol's hours, not an aggregate of every symbol's.
    CROSS JOIN LATERAL (
        SELECT array_agg(h.close ORDER BY h.bucket) AS closes
        FROM (SELECT h.bucket, h.close FROM lambda.serving_hourly h
              WHERE h.symbol = l.symbol AND h.bucket > l.last_trade_ts - interval '24 hours' OFFSET 0) h) s
    WHERE l.symbol = ANY (changed)
    ON CONFLICT (symbol) DO UPDATE SET
        price = EXCLUDED.price, change = EXCLUDED.change, pct_change = EXCLUDED.pct_change, previous_close = EXCLUDED.previous_close,
        date = EXCLUDED.date, day_open = EXCLUDED.day_open, day_high = EXCLUDED.day_high, day_low = EXCLUDED.day_low,
        day_volume = EXCLUDED.day_volume, day_trades = EXCLUDED.day_trades, day_vwap = EXCLUDED.day_vwap,
        last_trade_ts = EXCLUDED.last_trade_ts, source = EXCLUDED.source, hourly_closes = EXCLUDED.hourly_closes;
    -- A symbol serving_latest does not list (only late trades below the cutoff, no batch day yet) has no row.
    DELETE FROM lambda.symbol_summaries WHERE symbol = ANY (changed) AND last_trade_ts IS NULL;
END
$$;

SELECT refresh_symbol_summaries(NULL);

GRANT SELECT ON lambda.symbol_summaries TO lambda_reader;
