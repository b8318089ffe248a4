-- Offsets an absorb read that did not decode (issue 22): they are not in the master dataset, and
-- the audit checks the master dataset against the ledger offset by offset, so it must know them.
-- Offsets Kafka deleted while an absorb read them go to retention_losses, like those gone before.
CREATE TABLE absorb_undecodable (
    absorb_id        bigint NOT NULL REFERENCES absorb_runs (absorb_id),
    topic            text NOT NULL,
    kafka_partition  integer NOT NULL,
    first_offset     bigint NOT NULL,
    end_offset       bigint NOT NULL,
    PRIMARY KEY (topic, kafka_partition, first_offset)
);
