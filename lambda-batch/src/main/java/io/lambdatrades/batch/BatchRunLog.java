package io.lambdatrades.batch;

import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** The history of batch runs and their tasks in {@code batch_runs} and {@code batch_task_runs}. */
public final class BatchRunLog
{
    private final PostgresConnection postgres;

    public BatchRunLog(PostgresConnection postgres)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    public long start(Instant periodStart, Instant periodEnd, String trigger)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state, started_at, attempts)
                        VALUES (?, ?, ?, 'running', now(), 1) RETURNING run_id""")) {
            statement.setTimestamp(1, Timestamp.from(periodStart));
            statement.setTimestamp(2, Timestamp.from(periodEnd));
            statement.setString(3, trigger);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    public void taskStarted(long runId, String task)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        INSERT INTO lambda.batch_task_runs (run_id, task, state, started_at, attempts) VALUES (?, ?, 'running', now(), 1)
                        ON CONFLICT (run_id, task) DO UPDATE SET state = 'running', started_at = now(), attempts = batch_task_runs.attempts + 1""")) {
            statement.setLong(1, runId);
            statement.setString(2, task);
            statement.executeUpdate();
        }
    }

    /** @param error null when the task succeeded */
    public void taskEnded(long runId, String task, String error)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE lambda.batch_task_runs SET state = ?, ended_at = now(), error = ? WHERE run_id = ? AND task = ?")) {
            statement.setString(1, error == null ? "success" : "failed");
            statement.setString(2, error);
            statement.setLong(3, runId);
            statement.setString(4, task);
            statement.executeUpdate();
        }
    }

    /** @param error null when the run succeeded */
    public void ended(long runId, String error)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE lambda.batch_runs SET state = ?, ended_at = now(), error = ? WHERE run_id = ?")) {
            statement.setString(1, error == null ? "success" : "failed");
            statement.setString(2, error);
            statement.setLong(3, runId);
            statement.executeUpdate();
        }
    }
}
