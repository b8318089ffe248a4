-- The tables of SPEC 5. Aggregate rows keep the (ts, kafka partition, offset) keys of their first
-- and last trade, so that two partial aggregates of one bucket merge exactly (open and close).

CREATE TABLE cutoff (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    cutoff_ts   timestamptz NOT NULL,
    period      text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Nothing absorbed yet: every trade is the speed layer's.
INSERT INTO cutoff (cutoff_ts, period) VALUES ('1970-01-01T00:00:00Z', 'P1D');

CREATE TABLE speed_trades (
    kafka_partition  integer NOT NULL,
    kafka_offset     bigint NOT NULL,
    symbol           text NOT NULL,
    exchange         text NOT NULL,
    instrument       text NOT NULL,
    price            double precision NOT NULL,
    volume           double precision NOT NULL,
    ts               timestamptz NOT NULL,
    conditions       text[] NOT NULL,
    source           text NOT NULL,
    ingest_ts        timestamptz NOT NULL,
    price_change     double precision,
    pct_change       double precision,
    PRIMARY KEY (kafka_partition, kafka_offset)
);
-- The order of a symbol's trades, which the previous-trade lookups walk.
CREATE INDEX speed_trades_symbol_order ON speed_trades (symbol, ts, kafka_partition, kafka_offset);

CREATE TABLE speed_minute (
    symbol           text NOT NULL,
    bucket           timestamptz NOT NULL,
    open             double precision NOT NULL,
    high             double precision NOT NULL,
    low              double precision NOT NULL,
    close            double precision NOT NULL,
    volume           double precision NOT NULL,
    trades           bigint NOT NULL,
    notional         double precision NOT NULL,
    first_ts         timestamptz NOT NULL,
    first_partition  integer NOT NULL,
    first_offset     bigint NOT NULL,
    last_ts          timestamptz NOT NULL,
    last_partition   integer NOT NULL,
    last_offset      bigint NOT NULL,
    PRIMARY KEY (symbol, bucket)
);

CREATE TABLE batch_minute (
    symbol           text NOT NULL,
    exchange         text NOT NULL,
    instrument       text NOT NULL,
    bucket           timestamptz NOT NULL,
    open             double precision NOT NULL,
    high             double precision NOT NULL,
    low              double precision NOT NULL,
    close            double precision NOT NULL,
    volume           double precision NOT NULL,
    trades           bigint NOT NULL,
    notional         double precision NOT NULL,
    vwap             double precision,
    first_ts         timestamptz NOT NULL,
    first_partition  integer NOT NULL,
    first_offset     bigint NOT NULL,
    last_ts          timestamptz NOT NULL,
    last_partition   integer NOT NULL,
    last_offset      bigint NOT NULL,
    PRIMARY KEY (symbol, bucket)
);
CREATE TABLE batch_hourly (LIKE batch_minute INCLUDING ALL);
CREATE TABLE batch_daily (LIKE batch_minute INCLUDING ALL);
ALTER TABLE batch_daily ADD COLUMN date date NOT NULL;

CREATE TABLE batch_runs (
    run_id        bigserial PRIMARY KEY,
    period_start  timestamptz NOT NULL,
    period_end    timestamptz NOT NULL,
    trigger       text NOT NULL,
    state         text NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failed')),
    queued_at     timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    ended_at      timestamptz,
    attempts      integer NOT NULL DEFAULT 0,
    error         text
);

CREATE TABLE batch_task_runs (
    run_id      bigint NOT NULL REFERENCES batch_runs (run_id),
    task        text NOT NULL,
    state       text NOT NULL CHECK (state IN ('queued', 'running', 'success', 'failed', 'skipped')),
    started_at  timestamptz,
    ended_at    timestamptz,
    attempts    integer NOT NULL DEFAULT 0,
    error       text,
    PRIMARY KEY (run_id, task)
);
