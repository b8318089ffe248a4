-- The speed layer writes each micro-batch in one transaction with its id: a batch replayed after a
-- crash finds its id here and is skipped.
CREATE TABLE speed_batches (
    query_name    text NOT NULL,
    batch_id      bigint NOT NULL,
    trades        integer NOT NULL,
    committed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (query_name, batch_id)
);

-- Which micro-batch wrote each trade: lineage, and the delay from a trade's time to its commit.
ALTER TABLE speed_trades ADD COLUMN batch_id bigint;
