-- A minute never has two parts: the cutoff is a whole number of minutes, the batch minutes lie before
-- it (BatchViews counts only trades before the cutoff) and the speed minutes that serving_parts adds
-- lie at or after it (the late ones below it wait for the next batch run). So serving_minute is the
-- parts themselves, without serving_buckets' sort and grouping of every minute it returns; the VWAP
-- is serving_buckets' of a single part. ServingViewsIT and CombineRuleAgreementIT hold it to the trades.
CREATE OR REPLACE VIEW serving_minute AS
SELECT symbol, bucket, open, high, low, close, volume, trades, notional,
       CASE WHEN volume = 0 THEN NULL ELSE notional / volume END AS vwap,
       first_ts, last_ts, part AS source
FROM lambda.serving_parts WHERE grain = 'minute';
