package io.lambdatrades.scheduler;

import com.github.kagkarlsson.scheduler.Clock;
import io.lambdatrades.common.BatchRunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Works through the run queue, one run at a time, oldest first. A failed attempt is retried with
 * exponential backoff from its first unfinished task; after the last retry, or at once when another
 * attempt would fail the same way, the run is failed with its error and the queue goes on. Only one worker runs at a time across every scheduler (db-scheduler
 * picks the queue task once), so a run found running belongs to a worker that died.
 */
public final class QueueWorker
{
    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final RunQueue queue;
    private final BatchRunner runner;
    private final Clock clock;
    private final int retries;
    private final Duration backoff;

    public QueueWorker(RunQueue queue, BatchRunner runner, Clock clock, int retries, Duration backoff)
    {
        this.queue = requireNonNull(queue, "queue is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.retries = retries;
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    /** Runs what is due until the queue is empty or its head waits for a retry. */
    public void drain()
            throws SQLException
    {
        while (true) {
            Optional<QueuedRun> head = queue.head();
            if (head.isEmpty()) {
                return;
            }
            QueuedRun run = head.get();
            if (run.state() == BatchRunState.RETRYING && run.nextAttemptAt().map(next -> next.isAfter(clock.now())).orElse(false)) {
                return;
            }
            if (run.state() == BatchRunState.RUNNING) {
                failed(run.runId(), run.attempts(), "attempt " + run.attempts() + " stopped with the scheduler that ran it (no heartbeat)", true);
                continue;
            }
            int attempt = queue.started(run.runId());
            log.info("Batch run {} ({} {} to {}), attempt {}", run.runId(), run.trigger(), run.period().start(), run.period().end(), attempt);
            try {
                runner.run(run);
                BatchRunState state = queue.state(run.runId());
                if (state != BatchRunState.SUCCESS) {
                    failed(run.runId(), attempt, "the batch JVM exited without finishing the run (state " + state.value() + ")", true);
                }
            }
            catch (BatchRunner.BatchRunFailedException e) {
                failed(run.runId(), attempt, e.getMessage(), e.retryable());
            }
            catch (InterruptedException e) {
                queue.requeue(run.runId(), "attempt " + attempt + " stopped with the scheduler");
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void failed(long runId, int attempts, String error, boolean retryable)
            throws SQLException
    {
        if (!retryable) {
            log.warn("Batch run {} failed in a way another attempt would meet again, not retried: {}", runId, error);
            queue.attemptFailed(runId, error, Optional.empty());
        }
        else if (attempts <= retries) {
            Duration wait = backoff.multipliedBy(1L << Math.min(attempts - 1, 20));
            // In milliseconds: PostgreSQL keeps microseconds and would round a later nanosecond up, past the time it is due.
            Instant next = clock.now().plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait).truncatedTo(ChronoUnit.MILLIS);
            log.warn("Batch run {} attempt {} failed, retrying at {}: {}", runId, attempts, next, error);
            queue.attemptFailed(runId, error, Optional.of(next));
        }
        else {
            log.warn("Batch run {} failed after {} attempt(s): {}", runId, attempts, error);
            queue.attemptFailed(runId, error, Optional.empty());
        }
    }
}
