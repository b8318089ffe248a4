"""Checks the DAG without Airflow: stub modules stand in for airflow.DAG and BashOperator, the DAG
file is loaded, and its schedule, its tasks, their order and the rendered commands are checked.
Prints the commands for period 2026-11-23 as JSON, one list of arguments per task, for the caller
to parse with the real command line."""

import importlib.util
import json
import os
import sys
import types
from datetime import datetime, timezone


class StubDag:
    current = None

    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = []

    def __enter__(self):
        StubDag.current = self
        return self

    def __exit__(self, *exc):
        StubDag.current = None
        return False


class StubBashOperator:
    def __init__(self, task_id, bash_command, **kwargs):
        self.task_id = task_id
        self.bash_command = bash_command
        self.kwargs = kwargs
        self.downstream = []
        self.upstream = []
        StubDag.current.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other)
        other.upstream.append(self)
        return other


def install_stubs():
    airflow = types.ModuleType("airflow")
    airflow.DAG = StubDag
    operators = types.ModuleType("airflow.operators")
    bash = types.ModuleType("airflow.operators.bash")
    bash.BashOperator = StubBashOperator
    sys.modules.update({"airflow": airflow, "airflow.operators": operators, "airflow.operators.bash": bash})


def render(command, data_interval_start):
    """Renders the one template the DAG uses the way Jinja would."""
    template = "{{ data_interval_start.strftime('%Y-%m-%dT%H:%M') }}"
    assert command.count("{{") == 1 and template in command, command
    return command.replace(template, data_interval_start.strftime("%Y-%m-%dT%H:%M"))


def main():
    install_stubs()
    os.environ["LAMBDA_BIN"] = "lambda"
    os.environ["LAMBDA_CONFIG"] = "/etc/lambda-trades/lambda.yaml"
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lambda_batch_dag.py")
    spec = importlib.util.spec_from_file_location("lambda_batch_dag", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dag = module.dag

    assert dag.dag_id == "lambda_trades_batch"
    assert dag.kwargs["catchup"] is True, "catch-up must close missed periods"
    assert dag.kwargs["max_active_runs"] == 1, "two periods must never run at once"
    assert dag.kwargs["schedule"] == "15 0 * * *", "daily, 15 minutes after midnight UTC for late trades"
    args = dag.kwargs["default_args"]
    assert args["retries"] >= 3 and args["retry_exponential_backoff"] is True

    ids = [task.task_id for task in dag.tasks]
    assert ids == ["absorb", "views", "publish"], ids
    absorb, views, publish = dag.tasks
    assert absorb.upstream == [] and absorb.downstream == [views]
    assert views.upstream == [absorb] and views.downstream == [publish]
    assert publish.upstream == [views] and publish.downstream == []
    assert all(task.kwargs.get("depends_on_past") for task in dag.tasks), "a period waits for the one before it"

    period_start = datetime(2026, 11, 23, tzinfo=timezone.utc)
    commands = []
    for task in dag.tasks:
        rendered = render(task.bash_command, period_start).split()
        assert rendered[:4] == ["lambda", "batch", "task", task.task_id], rendered
        assert rendered[4:6] == ["--period", "2026-11-23T00:00"], rendered
        commands.append(rendered[1:])
    print(json.dumps(commands))


if __name__ == "__main__":
    main()
