-- serving_hourly and serving_daily each read their own two tables, the batch rows and the speed
-- layer's rollup of the same grain (which holds nothing before the cutoff), instead of serving_buckets
-- over all six parts of serving_parts. A BI tool sends its SQL unprepared, so each query is parsed,
-- rewritten and planned anew: two tables instead of six (four pruned by the grain, but parsed and
-- planned first). A 30-day serving_daily of one symbol on a warm backend: planning 0.48-0.52 ms before,
-- 0.15-0.29 ms after; p50 at a BI tool's 100 queries/s 2.7-3.6 ms before, 1.3 ms after (docs/benchmarks.md).
-- The combine rule is serving_buckets'; CombineRuleAgreementIT (which fails when this copy's close takes
-- the first trade's) and ServingViewsIT hold both views to the trades.
CREATE OR REPLACE VIEW serving_hourly AS
SELECT symbol, bucket,
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
FROM (
    SELECT symbol, bucket, open, high, low, close, volume, trades, notional,
           first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'batch' AS part
    FROM lambda.batch_hourly
    UNION ALL
    SELECT symbol, bucket, open, high, low, close, volume, trades, notional,
           first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'speed'
    FROM lambda.speed_hourly
) p
GROUP BY symbol, bucket;

CREATE OR REPLACE VIEW serving_daily AS
SELECT symbol, bucket,
       (bucket AT TIME ZONE 'UTC')::date AS date,
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
FROM (
    SELECT symbol, bucket, open, high, low, close, volume, trades, notional,
           first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'batch' AS part
    FROM lambda.batch_daily
    UNION ALL
    SELECT symbol, bucket, open, high, low, close, volume, trades, notional,
           first_ts, first_partition, first_offset, last_ts, last_partition, last_offset, 'speed'
    FROM lambda.speed_daily
) p
GROUP BY symbol, bucket;
