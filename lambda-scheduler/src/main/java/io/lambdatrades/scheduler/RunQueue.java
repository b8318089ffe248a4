package io.lambdatrades.scheduler;

import io.lambdatrades.common.BatchRunState;
import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The queue of batch runs, kept in {@code batch_runs}: runs wait as {@code queued} and run one at a
 * time in the order they were queued; a failed attempt waits its backoff as {@code retrying}, and
 * the runs behind it wait their turn.
 */
public final class RunQueue
{
    private static final String HEAD = """
            SELECT run_id, period_start, period_end, trigger, state, attempts, next_attempt_at
            FROM lambda.batch_runs WHERE state IN %s ORDER BY run_id LIMIT 1""".formatted(BatchRunState.UNFINISHED_SQL);

    private final PostgresConnection postgres;

    public RunQueue(PostgresConnection postgres)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    /**
     * A run asked for by hand (manual) or a backfill of dates from one to another; a scheduler waiting
     * for its next poll of the queue is woken now.
     */
    public long enqueue(BatchPeriod period, String trigger, Optional<LocalDate> backfillFrom, Optional<LocalDate> backfillTo)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state, backfill_from, backfill_to)
                        VALUES (?, ?, ?, %s, ?, ?) RETURNING run_id""".formatted(BatchRunState.QUEUED.literal()));
                PreparedStatement wake = connection.prepareStatement("""
                        UPDATE %s SET execution_time = now(), version = version + 1
                        WHERE task_name = ? AND NOT picked AND execution_time > now()""".formatted(BatchScheduler.TABLE))) {
            statement.setTimestamp(1, Timestamp.from(period.start()));
            statement.setTimestamp(2, Timestamp.from(period.end()));
            statement.setString(3, trigger);
            statement.setObject(4, backfillFrom.orElse(null));
            statement.setObject(5, backfillTo.orElse(null));
            long runId;
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                runId = rows.getLong(1);
            }
            wake.setString(1, BatchScheduler.QUEUE_TASK);
            wake.executeUpdate();
            return runId;
        }
    }

    /**
     * Periods closed by the schedule, oldest first; a period already queued by any scheduler is left as it is.
     *
     * @return how many were new
     */
    public int enqueueClosing(List<BatchPeriod> periods, String trigger)
            throws SQLException
    {
        int added = 0;
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state) VALUES (?, ?, ?, %s)
                        ON CONFLICT (period_start) WHERE trigger IN ('schedule', 'catch-up') DO NOTHING""".formatted(BatchRunState.QUEUED.literal()))) {
            for (BatchPeriod period : periods) {
                statement.setTimestamp(1, Timestamp.from(period.start()));
                statement.setTimestamp(2, Timestamp.from(period.end()));
                statement.setString(3, trigger);
                added += statement.executeUpdate();
            }
        }
        return added;
    }

    /** The end of the newest period the schedule has queued, if it ever has. */
    public Optional<Instant> lastClosedEnd()
            throws SQLException
    {
        return instant("SELECT max(period_end) FROM lambda.batch_runs WHERE trigger IN ('schedule', 'catch-up')");
    }

    /** The batch cutoff, unless no run ever moved it. */
    public Optional<Instant> cutoff()
            throws SQLException
    {
        return instant("SELECT cutoff_ts FROM lambda.cutoff WHERE cutoff_ts > 'epoch'");
    }

    /** The run at the head of the queue: the one to run next, or the one running. */
    public Optional<QueuedRun> head()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(HEAD);
                ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            Timestamp next = rows.getTimestamp(7);
            return Optional.of(new QueuedRun(rows.getLong(1), new BatchPeriod(rows.getTimestamp(2).toInstant(), rows.getTimestamp(3).toInstant()),
                    rows.getString(4), BatchRunState.of(rows.getString(5)), rows.getInt(6), Optional.ofNullable(next).map(Timestamp::toInstant)));
        }
    }

    /** @return the attempts started, this one included */
    public int started(long runId)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        UPDATE lambda.batch_runs SET state = %s, attempts = attempts + 1, started_at = coalesce(started_at, now()),
                            ended_at = NULL, next_attempt_at = NULL
                        WHERE run_id = ? RETURNING attempts""".formatted(BatchRunState.RUNNING.literal()))) {
            statement.setLong(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    public BatchRunState state(long runId)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("SELECT state FROM lambda.batch_runs WHERE run_id = ?")) {
            statement.setLong(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalArgumentException("no batch run " + runId + " in the history");
                }
                return BatchRunState.of(rows.getString(1));
            }
        }
    }

    /** An attempt that failed: the run retries at {@code nextAttempt}, or has failed for good when it is empty. */
    public void attemptFailed(long runId, String error, Optional<Instant> nextAttempt)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement run = connection.prepareStatement("""
                    UPDATE lambda.batch_runs SET state = ?, error = ?, next_attempt_at = ?, ended_at = CASE WHEN ? THEN NULL ELSE now() END
                    WHERE run_id = ?""");
                    PreparedStatement tasks = connection.prepareStatement("""
                            UPDATE lambda.batch_task_runs SET state = %s, ended_at = now(), error = ? WHERE run_id = ? AND state = %s"""
                            .formatted(BatchRunState.FAILED.literal(), BatchRunState.RUNNING.literal()))) {
                run.setString(1, (nextAttempt.isPresent() ? BatchRunState.RETRYING : BatchRunState.FAILED).value());
                run.setString(2, error);
                run.setTimestamp(3, nextAttempt.map(Timestamp::from).orElse(null));
                run.setBoolean(4, nextAttempt.isPresent());
                run.setLong(5, runId);
                run.executeUpdate();
                tasks.setString(1, error);
                tasks.setLong(2, runId);
                tasks.executeUpdate();
            }
            connection.commit();
        }
    }

    /** A run whose attempt was stopped with the scheduler: it waits at the head of the queue for the next one. */
    public void requeue(long runId, String reason)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement run = connection.prepareStatement("UPDATE lambda.batch_runs SET state = " + BatchRunState.QUEUED.literal() + ", error = ? WHERE run_id = ?");
                    PreparedStatement tasks = connection.prepareStatement("""
                            UPDATE lambda.batch_task_runs SET state = %s, ended_at = now(), error = ? WHERE run_id = ? AND state = %s"""
                            .formatted(BatchRunState.FAILED.literal(), BatchRunState.RUNNING.literal()))) {
                run.setString(1, reason);
                run.setLong(2, runId);
                run.executeUpdate();
                tasks.setString(1, reason);
                tasks.setLong(2, runId);
                tasks.executeUpdate();
            }
            connection.commit();
        }
    }

    private Optional<Instant> instant(String sql)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getTimestamp(1)).map(Timestamp::toInstant) : Optional.empty();
        }
    }
}
