package io.lambdatrades.scheduler;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SystemClock;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.UnabsorbedTrades;
import io.lambdatrades.common.config.LambdaConfig;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/** The running scheduler: its connection pool and its db-scheduler, after the catch-up of what came due while nothing ran. */
public final class SchedulerLayer
        implements AutoCloseable
{
    private final HikariDataSource dataSource;
    private final Scheduler scheduler;
    private final List<BatchPeriod> caughtUp;
    private final CompletableFuture<Void> failure;

    private SchedulerLayer(HikariDataSource dataSource, Scheduler scheduler, List<BatchPeriod> caughtUp, CompletableFuture<Void> failure)
    {
        this.dataSource = dataSource;
        this.scheduler = scheduler;
        this.caughtUp = List.copyOf(caughtUp);
        this.failure = failure;
    }

    /**
     * @param runner runs each queued run (in a JVM of its own)
     * @param name this scheduler's name among those sharing the database
     */
    public static SchedulerLayer start(LambdaConfig config, PostgresConnection postgres, String bootstrapServers, BatchRunner runner, String name)
            throws SQLException
    {
        requireNonNull(runner, "runner is null");
        SystemClock clock = new SystemClock();
        RunQueue queue = new RunQueue(postgres);
        PeriodCloser closer = new PeriodCloser(queue, new UnabsorbedTrades(postgres, bootstrapServers, config.kafka().topic()),
                config.batch().period(), config.scheduler().delay());
        QueueWorker worker = new QueueWorker(queue, runner, clock, config.scheduler().retries(), config.scheduler().retryBackoff());
        BatchScheduler batch = new BatchScheduler(config.scheduler(), config.batch().period(), closer, worker, clock);
        List<BatchPeriod> caughtUp = batch.catchUp(Instant.now());
        HikariDataSource dataSource = dataSource(postgres);
        try {
            return new SchedulerLayer(dataSource, batch.start(dataSource, name), caughtUp, batch.failure());
        }
        catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    /** The periods that were due at start, queued for catch-up (or already closed). */
    public List<BatchPeriod> caughtUp()
    {
        return caughtUp;
    }

    /** Completes exceptionally when the scheduler met a database error no retry would cure: the layer must stop and say it. */
    public CompletableFuture<Void> failure()
    {
        return failure;
    }

    /** Stops taking work; a run in progress is stopped and goes back to the head of the queue. */
    @Override
    public void close()
    {
        try {
            scheduler.stop();
        }
        finally {
            dataSource.close();
        }
    }

    private static HikariDataSource dataSource(PostgresConnection postgres)
    {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(postgres.jdbcUrl());
        hikari.setUsername(postgres.user());
        if (!postgres.password().isEmpty()) {
            hikari.setPassword(postgres.password());
        }
        hikari.setPoolName("lambda-scheduler");
        hikari.setMaximumPoolSize(4);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(5_000);
        // PostgreSQL down at start is retried by db-scheduler's polls rather than refused here.
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }
}
