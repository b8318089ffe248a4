"""Airflow route for the lambda-trades batch layer.

One DAG run per batch period (daily here), three tasks that call the same jar the built-in scheduler
runs: absorb Kafka into the master dataset, recompute the views, publish them with the cutoff. Each
task is idempotent, so Airflow's retries and clears are safe; catch-up closes missed days in order and
max_active_runs=1 keeps two periods from running at once (the batch layer's own lock refuses overlap
too). Turn the built-in scheduler off (scheduler.enabled: false) when Airflow drives the batch.
"""

import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

LAMBDA = os.environ.get("LAMBDA_BIN", "/opt/lambda-trades/bin/lambda")
CONFIG = os.environ.get("LAMBDA_CONFIG", "/etc/lambda-trades/lambda.yaml")
# The period's start as the batch layer reads it: 2026-11-23T00:00 (UTC).
PERIOD = "{{ data_interval_start.strftime('%Y-%m-%dT%H:%M') }}"
STEPS = ("absorb", "views", "publish")

default_args = {
    "owner": "lambda-trades",
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "execution_timeout": timedelta(hours=2),
}

with DAG(
    dag_id="lambda_trades_batch",
    description="Close each day of trades: absorb, views, publish",
    schedule="15 0 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=True,
    max_active_runs=1,
    default_args=default_args,
    tags=["lambda-trades"],
) as dag:
    previous = None
    for step in STEPS:
        task = BashOperator(
            task_id=step,
            bash_command=f"{LAMBDA} batch task {step} --period {PERIOD} --config {CONFIG}",
            depends_on_past=True,
        )
        if previous is not None:
            previous >> task
        previous = task
