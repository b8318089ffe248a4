package io.lambdatrades.serving;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A run of the batch pipeline as {@code batch_runs} and {@code batch_task_runs} hold it; times and
 * figures may be null (not started, not reached).
 *
 * @param trigger schedule, catch-up, backfill, manual or external
 * @param state queued, running, retrying, success or failed
 * @param nextAttemptAt when a retrying run starts again
 * @param offsetsLost offsets Kafka deleted before the run could absorb them
 * @param auditDifferences buckets of the serving views that differed from the trades in the audit after the publish, when it ran
 */
public record BatchRun(
        long runId,
        String periodStart,
        String periodEnd,
        String trigger,
        String state,
        String queuedAt,
        String startedAt,
        String endedAt,
        Long durationMs,
        int attempts,
        String nextAttemptAt,
        Long tradesAbsorbed,
        Long rowsPublished,
        Long offsetsLost,
        String error,
        Long auditDifferences,
        List<Task> tasks)
{
    public BatchRun
    {
        requireNonNull(state, "state is null");
        tasks = List.copyOf(requireNonNull(tasks, "tasks is null"));
    }

    public record Task(String task, String state, String startedAt, String endedAt, Long durationMs, int attempts, String error) {}

    BatchRun withTasks(List<Task> runTasks)
    {
        return new BatchRun(runId, periodStart, periodEnd, trigger, state, queuedAt, startedAt, endedAt, durationMs, attempts, nextAttemptAt, tradesAbsorbed,
                rowsPublished, offsetsLost, error, auditDifferences, runTasks);
    }
}
