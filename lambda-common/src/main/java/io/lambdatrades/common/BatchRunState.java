package io.lambdatrades.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The state of a batch run in {@code batch_runs}, and of a task in {@code batch_task_runs} (running,
 * success, failed). The scheduler owns a run's queued, running and retrying states, the batch JVM its
 * outcome (docs/architecture.md).
 */
public enum BatchRunState
{
    QUEUED,
    RUNNING,
    RETRYING,
    SUCCESS,
    FAILED;

    /** The states of a run that has not ended, as an SQL list: {@code ('queued', 'running', 'retrying')}. */
    public static final String UNFINISHED_SQL = "(" + Arrays.stream(new BatchRunState[] {QUEUED, RUNNING, RETRYING})
            .map(BatchRunState::literal).collect(Collectors.joining(", ")) + ")";

    /** The value in the {@code state} column. */
    public String value()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value as an SQL literal, for statements that name a state. */
    public String literal()
    {
        return "'" + value() + "'";
    }

    public static BatchRunState of(String value)
    {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
