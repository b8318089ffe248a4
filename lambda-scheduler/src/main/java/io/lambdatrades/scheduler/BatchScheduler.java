package io.lambdatrades.scheduler;

import com.github.kagkarlsson.scheduler.Clock;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresErrors;
import io.lambdatrades.common.config.ConfigException;
import io.lambdatrades.common.config.SchedulerConfig;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The scheduler's two db-scheduler tasks, whose state is in PostgreSQL ({@code scheduled_tasks}):
 * {@code batch-close} queues the periods that are due, at each period's end plus the delay (or on the
 * configured cron); {@code batch-queue} works through the queue every few seconds. db-scheduler runs
 * each at most once at a time across every scheduler on the database and revives one whose scheduler
 * died (no heartbeat). A database error a retry may cure is retried at the task's next tick; one it
 * would not (bad data, an integrity or schema error, {@link PostgresErrors}) fails the scheduler, whose
 * supervisor restarts it and shows the error.
 */
public final class BatchScheduler
{
    public static final String TABLE = "lambda.scheduled_tasks";
    public static final String CLOSE_TASK = "batch-close";
    public static final String QUEUE_TASK = "batch-queue";
    public static final Duration QUEUE_POLL = Duration.ofSeconds(3);
    public static final Duration HEARTBEAT = Duration.ofSeconds(2);
    public static final int MISSED_HEARTBEATS = 4;
    // How often a scheduler that has closed nothing yet looks for the first trade.
    private static final Duration FIRST_LOOK = Duration.ofSeconds(15);
    // A tick of the schedule running later than this counts as catch-up.
    private static final Duration ON_TIME = Duration.ofMinutes(1);

    private final PeriodCloser closer;
    private final QueueWorker worker;
    private final Schedule schedule;
    private final Clock clock;
    private final CompletableFuture<Void> failure = new CompletableFuture<>();

    public BatchScheduler(SchedulerConfig config, Duration period, PeriodCloser closer, QueueWorker worker, Clock clock)
    {
        this.closer = requireNonNull(closer, "closer is null");
        this.worker = requireNonNull(worker, "worker is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.schedule = schedule(config, period);
    }

    /**
     * The cron of {@code batch.schedule}, else each period's end plus the delay.
     *
     * @throws ConfigException when the cron expression does not parse
     */
    public static Schedule schedule(SchedulerConfig config, Duration period)
    {
        return config.cron().map(BatchScheduler::cron).orElseGet(() -> new PeriodEndSchedule(period, config.delay()));
    }

    /** The close and queue tasks, for a db-scheduler that starts them (a test's manual scheduler too). */
    public List<RecurringTask<Void>> recurringTasks()
    {
        RecurringTask<Void> close = Tasks.recurring(CLOSE_TASK, schedule).execute(this::close);
        RecurringTask<Void> queue = Tasks.recurring(QUEUE_TASK, Schedules.fixedDelay(QUEUE_POLL)).execute((instance, context) -> drain());
        return List.of(close, queue);
    }

    /** A started db-scheduler running both tasks, named so that two schedulers on one host stay apart. */
    public Scheduler start(DataSource dataSource, String name)
    {
        SchedulerBuilder builder = configure(Scheduler.create(dataSource, List.of()))
                .schedulerName(new SchedulerName.Fixed(name))
                .threads(2)
                .pollingInterval(Duration.ofSeconds(1))
                .shutdownMaxWait(Duration.ofSeconds(5))
                .clock(clock);
        Scheduler scheduler = builder.build();
        scheduler.start();
        return scheduler;
    }

    /** Our table, our tasks, and a heartbeat short enough that a dead scheduler's run is taken over within seconds. */
    public <B extends SchedulerBuilder> B configure(B builder)
    {
        builder.startTasks(recurringTasks())
                .tableName(TABLE)
                .heartbeatInterval(HEARTBEAT)
                .missedHeartbeatsLimit(MISSED_HEARTBEATS);
        return builder;
    }

    /** Completes exceptionally, with one line, when a task met a database error that no retry would cure. */
    public CompletableFuture<Void> failure()
    {
        return failure;
    }

    /** Queues what came due while nothing ran, before the first tick: a start after downtime catches up at once. */
    public List<BatchPeriod> catchUp(Instant now)
            throws SQLException
    {
        return closer.closeDue(now, false);
    }

    private void close(TaskInstance<Void> instance, ExecutionContext context)
    {
        Instant scheduledFor = context.getExecution().getExecutionTime();
        Instant now = clock.now();
        try {
            if (!closer.closeDue(now, Duration.between(scheduledFor, now).compareTo(ON_TIME) <= 0).isEmpty()) {
                // The queue runs them now rather than at its next poll.
                context.getSchedulerClient().reschedule(TaskInstanceId.of(QUEUE_TASK, RecurringTask.INSTANCE), now);
            }
        }
        catch (SQLException e) {
            throw failed("cannot queue the due periods", e);
        }
    }

    private void drain()
    {
        try {
            closer.closeFirstPeriods(clock.now(), FIRST_LOOK);
            worker.drain();
        }
        catch (SQLException e) {
            throw failed("cannot work through the batch queue", e);
        }
    }

    /** The task's failure, which db-scheduler retries at its next tick; the scheduler's own when no retry would cure it. */
    private IllegalStateException failed(String what, SQLException e)
    {
        IllegalStateException failed = new IllegalStateException(what + ": " + Failures.oneLine(e), e);
        if (!PostgresErrors.isTransient(e)) {
            failure.completeExceptionally(failed);
        }
        return failed;
    }

    private static Schedule cron(String expression)
    {
        try {
            return new CronSchedule(expression, ZoneOffset.UTC);
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("batch.schedule: '" + expression + "' is not a cron expression: " + e.getMessage()));
        }
    }
}
