-- The scheduler (issue 11): the run history gains the retrying state, what each run did, and
-- retention losses; db-scheduler keeps its executions in scheduled_tasks.

ALTER TABLE batch_runs DROP CONSTRAINT batch_runs_state_check;
ALTER TABLE batch_runs ADD CONSTRAINT batch_runs_state_check CHECK (state IN ('queued', 'running', 'retrying', 'success', 'failed'));
ALTER TABLE batch_runs
    ADD COLUMN backfill_from    date,
    ADD COLUMN backfill_to      date,
    ADD COLUMN next_attempt_at  timestamptz,
    ADD COLUMN trades_absorbed  bigint,
    ADD COLUMN rows_published   bigint,
    ADD COLUMN offsets_lost     bigint,
    ADD COLUMN view_dates       date[];
-- A period closes once by the schedule (or its catch-up), however many schedulers enqueue it.
CREATE UNIQUE INDEX batch_runs_scheduled_period ON batch_runs (period_start) WHERE trigger IN ('schedule', 'catch-up');
CREATE INDEX batch_runs_unfinished ON batch_runs (run_id) WHERE state IN ('queued', 'running', 'retrying');

ALTER TABLE batch_task_runs DROP CONSTRAINT batch_task_runs_state_check;
ALTER TABLE batch_task_runs ADD CONSTRAINT batch_task_runs_state_check CHECK (state IN ('queued', 'running', 'retrying', 'success', 'failed', 'skipped'));

-- Offsets Kafka deleted before the master dataset absorbed them: trades lost to the batch layer
-- for good. The system stays degraded until an operator acknowledges each one.
CREATE TABLE retention_losses (
    loss_id          bigserial PRIMARY KEY,
    run_id           bigint REFERENCES batch_runs (run_id),
    topic            text NOT NULL,
    kafka_partition  integer NOT NULL,
    first_offset     bigint NOT NULL,
    last_offset      bigint NOT NULL,
    detected_at      timestamptz NOT NULL DEFAULT now(),
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    UNIQUE (topic, kafka_partition, first_offset)
);

-- db-scheduler's table (its PostgreSQL DDL, with priorities).
CREATE TABLE scheduled_tasks (
    task_name             text NOT NULL,
    task_instance         text NOT NULL,
    task_data             bytea,
    execution_time        timestamptz NOT NULL,
    picked                boolean NOT NULL,
    picked_by             text,
    last_success          timestamptz,
    last_failure          timestamptz,
    consecutive_failures  integer,
    last_heartbeat        timestamptz,
    version               bigint NOT NULL,
    priority              smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time ON scheduled_tasks (priority DESC, execution_time ASC);
