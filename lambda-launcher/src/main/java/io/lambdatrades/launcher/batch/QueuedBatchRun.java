package io.lambdatrades.launcher.batch;

import io.lambdatrades.batch.BatchRequest;
import io.lambdatrades.common.BatchRunState;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.scheduler.BatchPeriod;
import io.lambdatrades.scheduler.RunHistory;
import io.lambdatrades.scheduler.RunQueue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A run handed to the running scheduler's queue, followed until it ends: it waits its turn behind the
 * runs queued before it instead of being refused, and Ctrl-C leaves it queued.
 */
public final class QueuedBatchRun
{
    private static final Duration POLL = Duration.ofMillis(500);

    private final PostgresConnection postgres;
    private final Duration period;
    private final Console console;

    QueuedBatchRun(PostgresConnection postgres, Duration period, Console console)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.period = requireNonNull(period, "period is null");
        this.console = requireNonNull(console, "console is null");
    }

    /** @return 0 when the run succeeded; a failed run is one error line */
    int submitAndWait(BatchRequest request)
            throws SQLException, InterruptedException
    {
        long started = System.nanoTime();
        long runId = new RunQueue(postgres).enqueue(new BatchPeriod(request.cutoff().minus(period), request.cutoff()), request.trigger(),
                request.backfillFrom(), request.backfillTo());
        console.line("lambda batch run: queued as run " + runId + " in the scheduler's queue (" + request.trigger() + ", cutoff to " + request.cutoff()
                + "); waiting for it, Ctrl-C leaves it queued");
        RunHistory history = new RunHistory(postgres);
        Set<String> reported = new HashSet<>();
        while (true) {
            RunHistory.Run run = history.find(runId).orElseThrow();
            report(run, reported, started);
            switch (run.state()) {
                case SUCCESS -> {
                    console.line(String.format(Locale.ROOT, "lambda batch run: run %d succeeded in %.1f s: %,d trades absorbed, %,d rows published",
                            runId, (System.nanoTime() - started) / 1e9, run.tradesAbsorbed().orElse(0L), run.rowsPublished().orElse(0L)));
                    return 0;
                }
                case FAILED -> throw new IllegalStateException("run " + runId + " failed after " + run.attempts() + " attempt(s): " + run.error().orElse("no error recorded"));
                default -> Thread.sleep(POLL.toMillis());
            }
        }
    }

    private void report(RunHistory.Run run, Set<String> reported, long started)
    {
        String state = run.state().value() + " " + run.attempts() + run.nextAttemptAt().map(Instant::toString).orElse("");
        if (reported.add(state)) {
            String detail = switch (run.state()) {
                case QUEUED -> "waiting its turn";
                case RUNNING -> "attempt " + run.attempts() + " started";
                case RETRYING -> "attempt " + run.attempts() + " failed (" + run.error().orElse("") + "); retrying at " + run.nextAttemptAt().map(Instant::toString).orElse("?");
                default -> run.state().value();
            };
            console.line(String.format(Locale.ROOT, "  %-9s %s  (%.1f s)", "run", detail, (System.nanoTime() - started) / 1e9));
        }
        for (RunHistory.Task task : run.tasks()) {
            if (task.state() != BatchRunState.RUNNING && reported.add(task.name() + " " + task.state().value() + " " + task.attempts())) {
                console.line(String.format(Locale.ROOT, "  %-9s %s%s  (%.1f s)", task.name(), task.state().value(),
                        task.duration().map(duration -> String.format(Locale.ROOT, " in %.1f s", duration.toMillis() / 1e3)).orElse("")
                                + task.error().map(error -> ": " + error).orElse(""), (System.nanoTime() - started) / 1e9));
            }
        }
    }
}
