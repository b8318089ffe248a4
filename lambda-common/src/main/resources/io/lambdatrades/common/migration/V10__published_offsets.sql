-- How far the published batch views reach in the trade topic, per partition: the absorb offsets at the
-- last publish. A trade before the cutoff and below these is in the batch views; any other trade
-- before the cutoff is late, and speed_minute holds it (and counts it) until the next publish.
CREATE TABLE published_offsets (
    kafka_partition  integer PRIMARY KEY,
    next_offset      bigint NOT NULL
);
