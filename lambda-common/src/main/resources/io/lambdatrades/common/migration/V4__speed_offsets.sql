-- The next Kafka offset the speed layer has not written, per partition, committed with each
-- micro-batch: a batch replayed after a crash, or the whole topic read again after the query's
-- checkpoint was lost, writes only the trades past it.
CREATE TABLE speed_offsets (
    query_name       text NOT NULL,
    kafka_partition  integer NOT NULL,
    next_offset      bigint NOT NULL,
    PRIMARY KEY (query_name, kafka_partition)
);

INSERT INTO speed_offsets (query_name, kafka_partition, next_offset)
SELECT b.query_name, t.kafka_partition, max(t.kafka_offset) + 1
FROM speed_trades t JOIN speed_batches b ON b.batch_id = t.batch_id
GROUP BY b.query_name, t.kafka_partition;
