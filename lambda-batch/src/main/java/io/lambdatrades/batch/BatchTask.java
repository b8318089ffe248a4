package io.lambdatrades.batch;

import java.util.Arrays;
import java.util.Locale;

/**
 * The steps of a batch run, in order; each is idempotent, so a retry continues from the one that failed.
 * The audit runs only where {@code batch.audit} is set.
 */
public enum BatchTask
{
    ABSORB, VIEWS, PUBLISH, AUDIT;

    /** The name in {@code batch_task_runs} and on the command line. */
    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchTask of(String id)
    {
        return Arrays.stream(values()).filter(task -> task.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown batch task '" + id + "' (absorb, views, publish or audit)"));
    }
}
