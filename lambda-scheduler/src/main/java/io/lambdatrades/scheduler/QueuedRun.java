package io.lambdatrades.scheduler;

import io.lambdatrades.common.BatchRunState;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A run waiting in the queue, or the one it is running.
 *
 * @param state queued, running or retrying
 * @param attempts attempts started so far
 * @param nextAttemptAt when a retrying run may start again
 */
public record QueuedRun(long runId, BatchPeriod period, String trigger, BatchRunState state, int attempts, Optional<Instant> nextAttemptAt)
{
    public QueuedRun
    {
        requireNonNull(period, "period is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(state, "state is null");
        requireNonNull(nextAttemptAt, "nextAttemptAt is null");
    }
}
