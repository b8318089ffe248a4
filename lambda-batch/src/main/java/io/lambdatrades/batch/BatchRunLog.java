package io.lambdatrades.batch;

import io.lambdatrades.common.BatchRunState;
import io.lambdatrades.common.PostgresConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The batch layer's side of the history in {@code batch_runs} and {@code batch_task_runs}: each task's
 * state and attempts, what the run absorbed and published, and the offsets it found lost. Whoever
 * queues a run (the scheduler) owns its queued, running and retrying states.
 */
public final class BatchRunLog
{
    private final PostgresConnection postgres;

    public BatchRunLog(PostgresConnection postgres)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    /** A run started here and now, outside any queue. */
    public long start(Instant periodStart, Instant periodEnd, String trigger, Optional<LocalDate> backfillFrom, Optional<LocalDate> backfillTo)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state, started_at, attempts, backfill_from, backfill_to)
                        VALUES (?, ?, ?, 'running', now(), 1, ?, ?) RETURNING run_id""")) {
            statement.setTimestamp(1, Timestamp.from(periodStart));
            statement.setTimestamp(2, Timestamp.from(periodEnd));
            statement.setString(3, trigger);
            statement.setObject(4, backfillFrom.orElse(null));
            statement.setObject(5, backfillTo.orElse(null));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The latest unfinished run an external orchestrator drives for this period, or a new one. */
    public long externalRun(Instant periodStart, Instant periodEnd)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement("LOCK TABLE lambda.batch_runs IN SHARE ROW EXCLUSIVE MODE");
                    PreparedStatement find = connection.prepareStatement("""
                            SELECT run_id FROM lambda.batch_runs WHERE trigger = 'external' AND period_start = ? AND state <> 'success'
                            ORDER BY run_id DESC LIMIT 1""");
                    PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state, started_at, attempts)
                            VALUES (?, ?, 'external', 'running', now(), 1) RETURNING run_id""")) {
                lock.execute();
                find.setTimestamp(1, Timestamp.from(periodStart));
                try (ResultSet rows = find.executeQuery()) {
                    if (rows.next()) {
                        long runId = rows.getLong(1);
                        connection.commit();
                        return runId;
                    }
                }
                insert.setTimestamp(1, Timestamp.from(periodStart));
                insert.setTimestamp(2, Timestamp.from(periodEnd));
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    long runId = rows.getLong(1);
                    connection.commit();
                    return runId;
                }
            }
        }
    }

    public RunRecord read(long runId)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement run = connection.prepareStatement("""
                        SELECT period_start, period_end, trigger, backfill_from, backfill_to, view_dates FROM lambda.batch_runs WHERE run_id = ?""");
                PreparedStatement tasks = connection.prepareStatement("SELECT task FROM lambda.batch_task_runs WHERE run_id = ? AND state = 'success'")) {
            run.setLong(1, runId);
            tasks.setLong(1, runId);
            try (ResultSet rows = run.executeQuery(); ResultSet done = tasks.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalArgumentException("no batch run " + runId + " in the history");
                }
                Set<BatchTask> succeeded = EnumSet.noneOf(BatchTask.class);
                while (done.next()) {
                    succeeded.add(BatchTask.of(done.getString(1)));
                }
                Array viewDates = rows.getArray(6);
                Optional<SortedSet<String>> dates = Optional.empty();
                if (viewDates != null) {
                    SortedSet<String> values = new TreeSet<>();
                    for (Object date : (Object[]) viewDates.getArray()) {
                        values.add(((Date) date).toLocalDate().toString());
                    }
                    dates = Optional.of(values);
                }
                return new RunRecord(runId, rows.getTimestamp(1).toInstant(), rows.getTimestamp(2).toInstant(), rows.getString(3),
                        Optional.ofNullable(rows.getObject(4, LocalDate.class)), Optional.ofNullable(rows.getObject(5, LocalDate.class)), succeeded, dates);
            }
        }
    }

    /** A run picked up again, by its queue or by an orchestrator's next task. */
    public void running(long runId)
            throws SQLException
    {
        update("UPDATE lambda.batch_runs SET state = 'running', started_at = coalesce(started_at, now()), ended_at = NULL, error = NULL WHERE run_id = ?", runId);
    }

    public void taskStarted(long runId, BatchTask task)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO lambda.batch_task_runs (run_id, task, state, started_at, attempts) VALUES (?, ?, 'running', now(), 1)
                        ON CONFLICT (run_id, task) DO UPDATE
                        SET state = 'running', started_at = now(), ended_at = NULL, error = NULL, attempts = batch_task_runs.attempts + 1""")) {
            statement.setLong(1, runId);
            statement.setString(2, task.id());
            statement.executeUpdate();
        }
    }

    /** @param error null when the task succeeded */
    public void taskEnded(long runId, BatchTask task, String error)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE lambda.batch_task_runs SET state = ?, ended_at = now(), error = ? WHERE run_id = ? AND task = ?")) {
            statement.setString(1, (error == null ? BatchRunState.SUCCESS : BatchRunState.FAILED).value());
            statement.setString(2, error);
            statement.setLong(3, runId);
            statement.setString(4, task.id());
            statement.executeUpdate();
        }
    }

    /** What the absorb did, and each range of offsets it found gone from Kafka (recorded once per range). */
    public void absorbed(long runId, Absorber.AbsorbResult result)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement run = connection.prepareStatement(
                    "UPDATE lambda.batch_runs SET trades_absorbed = coalesce(trades_absorbed, 0) + ?, offsets_lost = ? WHERE run_id = ?");
                    PreparedStatement loss = connection.prepareStatement("""
                            INSERT INTO lambda.retention_losses (run_id, topic, kafka_partition, first_offset, last_offset) VALUES (?, ?, ?, ?, ?)
                            ON CONFLICT (topic, kafka_partition, first_offset) DO UPDATE SET last_offset = excluded.last_offset, run_id = excluded.run_id,
                                acknowledged_at = NULL, acknowledged_by = NULL, detected_at = now()
                            WHERE retention_losses.last_offset < excluded.last_offset""")) {
                run.setLong(1, result.trades());
                run.setObject(2, result.expired().isEmpty() ? null : result.expired().stream().mapToLong(AbsorbBacklog.ExpiredOffsets::count).sum());
                run.setLong(3, runId);
                run.executeUpdate();
                for (AbsorbBacklog.ExpiredOffsets gone : result.expired()) {
                    loss.setLong(1, runId);
                    loss.setString(2, gone.topic());
                    loss.setInt(3, gone.partition());
                    loss.setLong(4, gone.first());
                    loss.setLong(5, gone.last());
                    loss.addBatch();
                }
                loss.executeBatch();
            }
            connection.commit();
        }
    }

    public void viewsComputed(long runId, SortedSet<String> dates)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("UPDATE lambda.batch_runs SET view_dates = ? WHERE run_id = ?")) {
            statement.setArray(1, connection.createArrayOf("date", dates.stream().map(LocalDate::parse).map(Date::valueOf).toArray()));
            statement.setLong(2, runId);
            statement.executeUpdate();
        }
    }

    public void published(long runId, long rows)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("UPDATE lambda.batch_runs SET rows_published = ? WHERE run_id = ?")) {
            statement.setLong(1, rows);
            statement.setLong(2, runId);
            statement.executeUpdate();
        }
    }

    /** @param error null when the run succeeded */
    /** What the audit after the publish found: the dates it checked and how many buckets differ. */
    public void audited(long runId, SortedSet<String> dates, long differences)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("UPDATE lambda.batch_runs SET audited_dates = ?, audit_differences = ? WHERE run_id = ?")) {
            statement.setArray(1, connection.createArrayOf("date", dates.stream().map(LocalDate::parse).map(Date::valueOf).toArray()));
            statement.setLong(2, differences);
            statement.setLong(3, runId);
            statement.executeUpdate();
        }
    }

    public void ended(long runId, String error)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE lambda.batch_runs SET state = ?, ended_at = now(), error = ?, next_attempt_at = NULL WHERE run_id = ?")) {
            statement.setString(1, (error == null ? BatchRunState.SUCCESS : BatchRunState.FAILED).value());
            statement.setString(2, error);
            statement.setLong(3, runId);
            statement.executeUpdate();
        }
    }

    private void update(String sql, long runId)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, runId);
            statement.executeUpdate();
        }
    }

    /**
     * A run as the history holds it.
     *
     * @param succeeded its tasks that already succeeded, which a retry skips
     * @param viewDates the dates its views task recomputed, once it has run
     */
    public record RunRecord(long runId, Instant periodStart, Instant periodEnd, String trigger, Optional<LocalDate> backfillFrom,
            Optional<LocalDate> backfillTo, Set<BatchTask> succeeded, Optional<SortedSet<String>> viewDates)
    {
        public RunRecord
        {
            requireNonNull(periodStart, "periodStart is null");
            requireNonNull(periodEnd, "periodEnd is null");
            requireNonNull(trigger, "trigger is null");
            succeeded = Set.copyOf(succeeded);
            viewDates = viewDates.map(TreeSet::new);
        }

        /** What the run was asked to do. */
        public BatchRequest request()
        {
            return new BatchRequest(periodEnd, backfillFrom, backfillTo, trigger);
        }

        /** @param tasks the tasks a run has, in order */
        public List<BatchTask> remaining(List<BatchTask> tasks)
        {
            return tasks.stream().filter(task -> !succeeded.contains(task)).toList();
        }
    }
}
