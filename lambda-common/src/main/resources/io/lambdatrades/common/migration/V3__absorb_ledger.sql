-- The batch layer's absorb ledger. An absorb stages Avro files outside the table, then commits, in
-- one transaction, the files it staged, the offsets they cover and the trade dates they touch; only
-- then are the files moved into the table. A crash before the commit leaves nothing (the staging is
-- discarded and the offsets read again); a crash after it is finished by the next run.
CREATE TABLE absorb_runs (
    absorb_id     bigserial PRIMARY KEY,
    topic         text NOT NULL,
    staging_dir   text NOT NULL UNIQUE,
    trades        bigint NOT NULL,
    committed_at  timestamptz NOT NULL DEFAULT now(),
    installed_at  timestamptz
);

CREATE TABLE absorb_files (
    absorb_id    bigint NOT NULL REFERENCES absorb_runs (absorb_id),
    staged_path  text NOT NULL,
    final_path   text NOT NULL,
    trade_date   text NOT NULL,
    PRIMARY KEY (absorb_id, final_path)
);

-- The next offset to absorb per partition: where the last committed absorb ended.
CREATE TABLE absorb_offsets (
    topic            text NOT NULL,
    kafka_partition  integer NOT NULL,
    next_offset      bigint NOT NULL,
    absorb_id        bigint NOT NULL REFERENCES absorb_runs (absorb_id),
    PRIMARY KEY (topic, kafka_partition)
);

-- Trade dates of the master dataset whose views are older than their data: set by an absorb,
-- cleared by the publish that brought their views up to date.
CREATE TABLE batch_dirty_dates (
    trade_date  date PRIMARY KEY,
    marked_at   timestamptz NOT NULL DEFAULT now()
);

-- The seed's own batch view: per exchange and day, volume and price range.
CREATE TABLE batch_exchange_daily (
    exchange   text NOT NULL,
    date       date NOT NULL,
    volume     double precision NOT NULL,
    trades     bigint NOT NULL,
    low        double precision NOT NULL,
    high       double precision NOT NULL,
    symbols    bigint NOT NULL,
    PRIMARY KEY (exchange, date)
);
