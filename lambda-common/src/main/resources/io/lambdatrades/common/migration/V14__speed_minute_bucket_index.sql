-- The minutes below the cutoff (late trades waiting for the next batch run) are asked for by bucket
-- alone: the API's freshness and `lambda status` count them on every call, the publish deletes them.
-- Without this index each of those read every minute of the day (72,000 rows for 50 symbols by its
-- end). A speed commit's upsert leaves bucket unchanged, so its updates stay HOT.
CREATE INDEX speed_minute_bucket ON speed_minute (bucket);
