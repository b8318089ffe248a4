package io.lambdatrades.launcher.serve;

import io.lambdatrades.batch.BatchRequest;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.scheduler.BatchPeriod;
import io.lambdatrades.scheduler.RunQueue;
import io.lambdatrades.serving.ApiException;
import io.lambdatrades.serving.BatchRunRequest;
import io.lambdatrades.serving.BatchTrigger;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** Puts a run asked for over HTTP in the scheduler's queue, where it waits its turn like any other. */
public final class QueueBatchTrigger
        implements BatchTrigger
{
    private final RunQueue queue;
    private final Duration period;
    private final Path log;

    QueueBatchTrigger(PostgresConnection postgres, Duration period, Path log)
    {
        this.queue = new RunQueue(requireNonNull(postgres, "postgres is null"));
        this.period = requireNonNull(period, "period is null");
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public Submitted submit(BatchRunRequest request)
    {
        BatchRequest batch = batchRequest(request, Instant.now());
        try {
            long runId = queue.enqueue(new BatchPeriod(batch.cutoff().minus(period), batch.cutoff()), batch.trigger(), batch.backfillFrom(), batch.backfillTo());
            return new Submitted("run " + runId + " queued (" + batch.trigger() + ", cutoff to " + batch.cutoff() + "); follow it in GET /api/v1/batch/runs", log.toString());
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot queue the run: " + e.getMessage(), e);
        }
    }

    private BatchRequest batchRequest(BatchRunRequest request, Instant now)
    {
        try {
            if (request.period() != null) {
                return BatchRequest.period(request.period(), now, period);
            }
            if (request.from() != null) {
                return BatchRequest.backfill(request.from(), request.to(), now, period);
            }
            return BatchRequest.now(now, period);
        }
        catch (IllegalArgumentException e) {
            throw ApiException.badRequest(request.period() != null ? "period" : "from", e.getMessage().replace("--period ", "").replace("--from ", ""));
        }
    }
}
