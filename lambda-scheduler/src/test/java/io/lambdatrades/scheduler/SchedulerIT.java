package io.lambdatrades.scheduler;

import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import io.lambdatrades.common.BatchRunState;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.UnabsorbedTrades;
import io.lambdatrades.common.config.SchedulerConfig;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestSql;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler's queue against a real PostgreSQL and real db-scheduler, on a clock the tests move.
 * The runner stands in for the batch JVM's bookkeeping only: it records the run as the batch layer
 * does (success, or a failure the test chooses).
 */
@ExtendWith(SharedPostgres.class)
class SchedulerIT
{
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration DELAY = Duration.ofMinutes(15);
    private static final Duration BACKOFF = Duration.ofSeconds(30);
    private static final Instant DAY_1 = Instant.parse("2026-11-23T00:00:00Z");

    private PostgresConnection database;
    private PGSimpleDataSource dataSource;
    private ScriptedRunner runner;

    @BeforeEach
    void setUp(EmbeddedPostgresServer postgres, TestInfo test)
            throws SQLException
    {
        database = TestDatabases.fresh(postgres, "scheduler_" + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT));
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(database.user());
        runner = new ScriptedRunner(database);
    }

    @Test
    void closesAPeriodAtItsEndPlusTheDelay()
            throws Exception
    {
        setCutoff(DAY_1);
        ManualScheduler scheduler = scheduler(DAY_1.plus(Duration.ofHours(23)), 3);

        scheduler.runAnyDueExecutions();
        assertThat(runs()).isEmpty();

        scheduler.setTime(DAY_1.plus(DAY).plus(DELAY).minusSeconds(1));
        runDue(scheduler);
        assertThat(runs()).isEmpty();

        scheduler.setTime(DAY_1.plus(DAY).plus(DELAY));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule success 1");
        assertThat(runner.periodsRun()).containsExactly(DAY_1.plus(DAY));

        scheduler.setTime(DAY_1.plus(DAY.multipliedBy(2)).plus(DELAY));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule success 1", "2026-11-25T00:00:00Z schedule success 1");
    }

    @Test
    void aRunThatFailsTwiceThenSucceedsEndsSuccessWithThreeAttempts()
            throws Exception
    {
        setCutoff(DAY_1);
        runner.script(DAY_1.plus(DAY), attempt -> attempt <= 2 ? Optional.of(new BatchRunner.BatchRunFailedException("views: disk full (attempt " + attempt + ")", true)) : Optional.empty());
        ManualScheduler scheduler = closeFirstPeriod(3);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule retrying 1");
        assertThat(query("SELECT error || ' @ ' || next_attempt_at::text FROM lambda.batch_runs"))
                .containsExactly("views: disk full (attempt 1) @ 2026-11-24 00:15:30+00");

        // Not before its backoff.
        scheduler.tick(BACKOFF.minusSeconds(5));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule retrying 1");

        scheduler.tick(Duration.ofSeconds(5));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule retrying 2");

        // The second retry waits twice as long.
        scheduler.tick(BACKOFF.multipliedBy(2));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule success 3");
        assertThat(query("SELECT coalesce(error, 'no error') FROM lambda.batch_runs")).containsExactly("no error");
    }

    @Test
    void aRunThatKeepsFailingFailsWithItsErrorAndTheNextPeriodStillRuns()
            throws Exception
    {
        setCutoff(DAY_1);
        runner.script(DAY_1.plus(DAY), attempt -> Optional.of(new BatchRunner.BatchRunFailedException("absorb: Kafka unreachable", true)));
        ManualScheduler scheduler = closeFirstPeriod(2);
        scheduler.tick(BACKOFF);
        runDue(scheduler);
        scheduler.tick(BACKOFF.multipliedBy(2));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule failed 3");
        assertThat(query("SELECT error FROM lambda.batch_runs")).containsExactly("absorb: Kafka unreachable");

        scheduler.setTime(DAY_1.plus(DAY.multipliedBy(2)).plus(DELAY));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule failed 3", "2026-11-25T00:00:00Z schedule success 1");
    }

    @Test
    void aRunThatAnotherAttemptWouldFailTheSameWayFailsAtOnce()
            throws Exception
    {
        setCutoff(DAY_1);
        runner.script(DAY_1.plus(DAY), attempt -> Optional.of(new BatchRunner.BatchRunFailedException("views: Malformed data. Length is negative: -40", false)));
        closeFirstPeriod(3);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule failed 1");
        assertThat(query("SELECT error || ' ' || (next_attempt_at IS NULL) FROM lambda.batch_runs")).containsExactly("views: Malformed data. Length is negative: -40 true");
    }

    @Test
    void aDatabaseErrorNoRetryCuresFailsTheSchedulerInsteadOfRecurringEachTick()
            throws Exception
    {
        setCutoff(DAY_1);
        SettableClock clock = new SettableClock();
        clock.set(DAY_1.plus(DAY));
        BatchScheduler batch = batchScheduler(clock, 3);
        ManualScheduler scheduler = batch.configure(TestHelper.createManualScheduler(dataSource)).clock(clock).build();
        scheduler.start();
        runDue(scheduler);
        assertThat(batch.failure()).isNotDone();

        // A schema error (42P01): every next tick would fail the same way.
        execute("ALTER TABLE lambda.batch_runs RENAME TO batch_runs_gone");
        scheduler.setTime(DAY_1.plus(DAY).plus(DELAY));
        runDue(scheduler);
        assertThat(batch.failure()).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .havingCause().withMessageMatching("cannot (queue the due periods|work through the batch queue): ERROR: relation \"lambda.batch_runs\" does not exist");
        execute("ALTER TABLE lambda.batch_runs_gone RENAME TO batch_runs");
    }

    @Test
    void catchUpAfterDowntimeClosesTheMissedPeriodsInOneRun()
            throws Exception
    {
        setCutoff(DAY_1);
        Instant back = DAY_1.plus(DAY.multipliedBy(4)).plus(Duration.ofHours(10));
        BatchScheduler batch = batchScheduler(new SettableClock(), 3);
        List<BatchPeriod> queued = batch.catchUp(back);
        assertThat(queued).hasSize(4);
        ManualScheduler scheduler = scheduler(back, 3);
        runDue(scheduler);
        // One run for the four days: one JVM and one publish instead of four.
        assertThat(runs()).containsExactly("2026-11-27T00:00:00Z catch-up success 1");
        assertThat(query("SELECT to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM lambda.batch_runs")).containsExactly("2026-11-23");
        assertThat(runner.periodsRun()).containsExactly(DAY_1.plus(DAY.multipliedBy(4)));
        // A second catch-up (a restart, another scheduler) queues nothing twice.
        batch.catchUp(back);
        runDue(scheduler);
        assertThat(runs()).hasSize(1);
        // The next period is the schedule's again.
        scheduler.setTime(DAY_1.plus(DAY.multipliedBy(5)).plus(DELAY));
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-27T00:00:00Z catch-up success 1", "2026-11-28T00:00:00Z schedule success 1");
    }

    @Test
    void aBackfillWaitsItsTurnBehindTheRunsBeforeIt()
            throws Exception
    {
        setCutoff(DAY_1);
        RunQueue queue = new RunQueue(database);
        runner.script(DAY_1.plus(DAY), attempt -> attempt == 1 ? Optional.of(new BatchRunner.BatchRunFailedException("first attempt fails", true)) : Optional.empty());
        ManualScheduler scheduler = closeFirstPeriod(3);
        long backfill = queue.enqueue(new BatchPeriod(DAY_1, DAY_1.plus(DAY)), "backfill",
                Optional.of(java.time.LocalDate.parse("2026-11-01")), Optional.of(java.time.LocalDate.parse("2026-11-03")));
        runDue(scheduler);
        assertThat(queue.state(backfill)).isEqualTo(BatchRunState.QUEUED);
        scheduler.tick(BACKOFF);
        runDue(scheduler);
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule success 2", "2026-11-24T00:00:00Z backfill success 1");
        assertThat(query("SELECT backfill_from || '..' || backfill_to FROM lambda.batch_runs WHERE trigger = 'backfill'")).containsExactly("2026-11-01..2026-11-03");
    }

    @Test
    void twoSchedulersOnOneDatabaseRunEachPeriodOnceAndNeverTwoAtATime()
            throws Exception
    {
        setCutoff(DAY_1);
        runner.holdEachRun(Duration.ofMillis(150));
        Instant now = DAY_1.plus(DAY.multipliedBy(6)).plus(DELAY);
        List<BatchPeriod> periods = new ArrayList<>();
        for (int day = 0; day < 6; day++) {
            periods.add(new BatchPeriod(DAY_1.plus(DAY.multipliedBy(day)), DAY_1.plus(DAY.multipliedBy(day + 1))));
        }
        new RunQueue(database).enqueueClosing(periods, "schedule");
        ManualScheduler first = scheduler(now, 3);
        ManualScheduler second = scheduler(now, 3);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (ManualScheduler scheduler : List.of(first, second)) {
                done.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        scheduler.runAnyDueExecutions();
                        scheduler.tick(BatchScheduler.QUEUE_POLL);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(2, TimeUnit.MINUTES);
            }
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(runs()).hasSize(6).allMatch(run -> run.endsWith("success 1"));
        assertThat(runner.periodsRun()).doesNotHaveDuplicates().hasSize(6);
        assertThat(runner.mostAtOnce()).isEqualTo(1);
    }

    @Test
    void aRunLeftRunningByADeadSchedulerIsRetried()
            throws Exception
    {
        setCutoff(DAY_1);
        Instant now = DAY_1.plus(DAY).plus(DELAY);
        RunQueue queue = new RunQueue(database);
        queue.enqueueClosing(List.of(new BatchPeriod(DAY_1, DAY_1.plus(DAY))), "schedule");
        long runId = queue.head().orElseThrow().runId();
        queue.started(runId);
        // The queue task as a scheduler that died in the middle of it leaves it: picked, its heartbeat old.
        ManualScheduler survivor = scheduler(now, 3);
        execute("UPDATE lambda.scheduled_tasks SET picked = true, picked_by = 'dead-host', last_heartbeat = '" + Timestamp.from(now.minus(Duration.ofHours(1)))
                + "+00', execution_time = '" + Timestamp.from(now.minusSeconds(60)) + "+00' WHERE task_name = '" + BatchScheduler.QUEUE_TASK + "'");
        survivor.runAnyDueExecutions();
        assertThat(runs()).containsExactly("2026-11-24T00:00:00Z schedule running 1");

        survivor.runDeadExecutionDetection();
        // db-scheduler revives a dead execution at the system clock's now, whatever the scheduler's clock says.
        survivor.setTime(Instant.now().plusSeconds(1));
        runDue(survivor);
        assertThat(query("SELECT state || ': ' || error FROM lambda.batch_runs WHERE run_id = " + runId))
                .containsExactly("retrying: attempt 1 stopped with the scheduler that ran it (no heartbeat)");
        survivor.tick(BACKOFF);
        runDue(survivor);
        assertThat(runs()).first().isEqualTo("2026-11-24T00:00:00Z schedule success 2");
    }

    /** A scheduler started before the first period is due, moved to its due time and run. */
    private ManualScheduler closeFirstPeriod(int retries)
    {
        ManualScheduler scheduler = scheduler(DAY_1.plus(DAY), retries);
        scheduler.setTime(DAY_1.plus(DAY).plus(DELAY));
        runDue(scheduler);
        return scheduler;
    }

    private ManualScheduler scheduler(Instant now, int retries)
    {
        SettableClock clock = new SettableClock();
        clock.set(now);
        BatchScheduler batch = batchScheduler(clock, retries);
        TestHelper.ManualSchedulerBuilder builder = batch.configure(TestHelper.createManualScheduler(dataSource)).clock(clock);
        ManualScheduler scheduler = builder.build();
        scheduler.start();
        return scheduler;
    }

    private BatchScheduler batchScheduler(SettableClock clock, int retries)
    {
        RunQueue queue = new RunQueue(database);
        SchedulerConfig config = new SchedulerConfig(true, DELAY, Optional.empty(), retries, BACKOFF);
        PeriodCloser closer = new PeriodCloser(queue, new UnabsorbedTrades(database, "127.0.0.1:1", "trades"), DAY, DELAY);
        return new BatchScheduler(config, DAY, closer, new QueueWorker(queue, runner, clock, retries, BACKOFF), clock);
    }

    /** The close task, then the queue task it wakes, as a running scheduler would. */
    private static void runDue(ManualScheduler scheduler)
    {
        scheduler.runAnyDueExecutions();
        scheduler.runAnyDueExecutions();
    }

    private void setCutoff(Instant cutoff)
            throws SQLException
    {
        execute("UPDATE lambda.cutoff SET cutoff_ts = '" + Timestamp.from(cutoff) + "+00'");
    }

    private List<String> runs()
            throws SQLException
    {
        return query("""
                SELECT to_char(period_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' ' || trigger || ' ' || state || ' ' || attempts
                FROM lambda.batch_runs ORDER BY run_id""");
    }

    private void execute(String sql)
            throws SQLException
    {
        TestSql.execute(database, sql);
    }

    private List<String> query(String sql)
            throws SQLException
    {
        return TestSql.column(database, sql);
    }

    /** Records each run as the batch JVM would; a script per period decides which attempts fail and with what error. */
    private static final class ScriptedRunner
            implements BatchRunner
    {
        private final PostgresConnection database;
        private final Map<Instant, Function<Integer, Optional<BatchRunFailedException>>> scripts = new ConcurrentHashMap<>();
        private final Map<Instant, AtomicInteger> attempts = new ConcurrentHashMap<>();
        private final List<Instant> periodsRun = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger running = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private volatile Duration hold = Duration.ZERO;

        ScriptedRunner(PostgresConnection database)
        {
            this.database = database;
        }

        void script(Instant periodEnd, Function<Integer, Optional<BatchRunFailedException>> failure)
        {
            scripts.put(periodEnd, failure);
        }

        void holdEachRun(Duration duration)
        {
            hold = duration;
        }

        List<Instant> periodsRun()
        {
            return List.copyOf(periodsRun);
        }

        int mostAtOnce()
        {
            return mostAtOnce.get();
        }

        @Override
        public void run(QueuedRun run)
                throws BatchRunFailedException, InterruptedException
        {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(hold.toMillis());
                int attempt = attempts.computeIfAbsent(run.period().end(), key -> new AtomicInteger()).incrementAndGet();
                Optional<BatchRunFailedException> failure = scripts.getOrDefault(run.period().end(), any -> Optional.empty()).apply(attempt);
                if (failure.isPresent()) {
                    throw failure.get();
                }
                if (run.trigger().equals("schedule") || run.trigger().equals("catch-up")) {
                    periodsRun.add(run.period().end());
                }
                try (Connection connection = database.open();
                        PreparedStatement statement = connection.prepareStatement("UPDATE lambda.batch_runs SET state = 'success', ended_at = now(), error = NULL WHERE run_id = ?")) {
                    statement.setLong(1, run.runId());
                    statement.executeUpdate();
                }
                catch (SQLException e) {
                    throw new BatchRunFailedException(e.getMessage(), true);
                }
            }
            finally {
                running.decrementAndGet();
            }
        }
    }
}
