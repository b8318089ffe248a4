-- SPEC 3's vwap on the speed layer's partial aggregates too, as the batch views carry it, so that a
-- BI tool reading speed_minute sees the same columns: derived from the merged sums on every upsert.
ALTER TABLE speed_minute
    ADD COLUMN vwap double precision GENERATED ALWAYS AS (CASE WHEN volume = 0 THEN NULL ELSE notional / volume END) STORED;
