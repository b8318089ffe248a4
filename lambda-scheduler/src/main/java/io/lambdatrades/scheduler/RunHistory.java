package io.lambdatrades.scheduler;

import io.lambdatrades.common.BatchRunState;
import io.lambdatrades.common.PostgresConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The run history as people read it: the last runs with their tasks, and when the schedule runs next. */
public final class RunHistory
{
    private static final String COLUMNS = """
            SELECT run_id, period_start, period_end, trigger, state, attempts, queued_at, started_at, ended_at, next_attempt_at,
                   trades_absorbed, rows_published, offsets_lost, error, audit_differences
            FROM lambda.batch_runs""";
    private static final String TASKS = """
            SELECT run_id, task, state, attempts, started_at, ended_at, error FROM lambda.batch_task_runs WHERE run_id = ANY (?)
            ORDER BY run_id, CASE task WHEN 'absorb' THEN 0 WHEN 'views' THEN 1 WHEN 'publish' THEN 2 WHEN 'audit' THEN 3 ELSE 4 END""";

    private final PostgresConnection postgres;

    public RunHistory(PostgresConnection postgres)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    /** The newest runs first. */
    public List<Run> last(int limit)
            throws SQLException
    {
        return runs(COLUMNS + " ORDER BY run_id DESC LIMIT ?", limit);
    }

    public Optional<Run> find(long runId)
            throws SQLException
    {
        return runs(COLUMNS + " WHERE run_id = ?", runId).stream().findFirst();
    }

    private List<Run> runs(String sql, long parameter)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            Map<Long, Run> runs = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setLong(1, parameter);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long runId = rows.getLong(1);
                        runs.put(runId, new Run(runId, new BatchPeriod(instant(rows, 2).orElseThrow(), instant(rows, 3).orElseThrow()), rows.getString(4),
                                BatchRunState.of(rows.getString(5)), rows.getInt(6), instant(rows, 7).orElseThrow(), instant(rows, 8), instant(rows, 9), instant(rows, 10),
                                optionalLong(rows, 11), optionalLong(rows, 12), optionalLong(rows, 13), Optional.ofNullable(rows.getString(14)), optionalLong(rows, 15), new ArrayList<>()));
                    }
                }
            }
            if (!runs.isEmpty()) {
                try (PreparedStatement statement = connection.prepareStatement(TASKS)) {
                    Array ids = connection.createArrayOf("bigint", runs.keySet().toArray());
                    statement.setArray(1, ids);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            runs.get(rows.getLong(1)).tasks().add(new Task(rows.getString(2), BatchRunState.of(rows.getString(3)), rows.getInt(4), instant(rows, 5), instant(rows, 6),
                                    Optional.ofNullable(rows.getString(7))));
                        }
                    }
                }
            }
            return runs.values().stream().map(Run::frozen).toList();
        }
    }

    /** When the schedule next closes periods, as db-scheduler has it. */
    public Optional<Instant> nextClose()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("SELECT min(execution_time) FROM " + BatchScheduler.TABLE + " WHERE task_name = ?")) {
            statement.setString(1, BatchScheduler.CLOSE_TASK);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? instant(rows, 1) : Optional.empty();
            }
        }
    }

    private static Optional<Instant> instant(ResultSet rows, int column)
            throws SQLException
    {
        return Optional.ofNullable(rows.getTimestamp(column)).map(Timestamp::toInstant);
    }

    private static Optional<Long> optionalLong(ResultSet rows, int column)
            throws SQLException
    {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(value);
    }

    /** @param auditDifferences buckets of the serving views the audit after the publish found different from the trades, when it ran */
    public record Run(long runId, BatchPeriod period, String trigger, BatchRunState state, int attempts, Instant queuedAt, Optional<Instant> startedAt,
            Optional<Instant> endedAt, Optional<Instant> nextAttemptAt, Optional<Long> tradesAbsorbed, Optional<Long> rowsPublished,
            Optional<Long> offsetsLost, Optional<String> error, Optional<Long> auditDifferences, List<Task> tasks)
    {
        public Run
        {
            requireNonNull(period, "period is null");
            requireNonNull(trigger, "trigger is null");
            requireNonNull(state, "state is null");
            requireNonNull(queuedAt, "queuedAt is null");
        }

        /** From its first start to its end, or to now while it runs. */
        public Optional<Duration> duration(Instant now)
        {
            return startedAt.map(start -> Duration.between(start, endedAt.orElse(now)));
        }

        private Run frozen()
        {
            return new Run(runId, period, trigger, state, attempts, queuedAt, startedAt, endedAt, nextAttemptAt, tradesAbsorbed, rowsPublished, offsetsLost,
                    error, auditDifferences, List.copyOf(tasks));
        }
    }

    public record Task(String name, BatchRunState state, int attempts, Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<String> error)
    {
        public Optional<Duration> duration()
        {
            return startedAt.flatMap(start -> endedAt.map(end -> Duration.between(start, end)));
        }
    }
}
