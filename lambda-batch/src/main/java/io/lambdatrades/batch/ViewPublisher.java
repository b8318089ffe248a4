package io.lambdatrades.batch;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedCommitNotification;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Loads the recomputed dates of the views into PostgreSQL with COPY and, in the same transaction,
 * replaces those dates in the {@code batch_*} tables, advances the cutoff and deletes the speed
 * layer's rows older than it: a reader sees the state before the publish or after it, never between.
 */
public final class ViewPublisher
{
    private static final List<String> AGGREGATE_COLUMNS = List.of("symbol", "exchange", "instrument", "bucket", "open", "high", "low", "close",
            "volume", "trades", "notional", "vwap", "first_ts", "first_partition", "first_offset", "last_ts", "last_partition", "last_offset");
    private static final List<String> EXCHANGE_COLUMNS = List.of("exchange", "date", "volume", "trades", "low", "high", "symbols");
    private static final Map<ViewStore.View, Table> TABLES = Map.of(
            ViewStore.View.MINUTE, new Table("batch_minute", "bucket", AGGREGATE_COLUMNS),
            ViewStore.View.HOURLY, new Table("batch_hourly", "bucket", AGGREGATE_COLUMNS),
            ViewStore.View.DAILY, new Table("batch_daily", "bucket", concat(AGGREGATE_COLUMNS, "date")),
            ViewStore.View.EXCHANGE_DAILY, new Table("batch_exchange_daily", "date", EXCHANGE_COLUMNS));
    // The newest trade of each symbol before the cutoff stays: the speed layer's next change is against
    // it. One pass over the older rows against the few kept, not a probe per deleted row.
    private static final String DELETE_SPEED_TRADES = """
            DELETE FROM lambda.speed_trades
            WHERE ts < ? AND (kafka_partition, kafka_offset) NOT IN (
                SELECT DISTINCT ON (symbol) kafka_partition, kafka_offset FROM lambda.speed_trades
                WHERE ts < ? ORDER BY symbol, ts DESC, kafka_partition DESC, kafka_offset DESC)""";

    private final PostgresConnection postgres;
    private final Supplier<ViewStore> views;

    /** @param views read only when there are dates to publish, so that a publish of nothing needs no Spark */
    public ViewPublisher(PostgresConnection postgres, Supplier<ViewStore> views)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.views = requireNonNull(views, "views is null");
    }

    /**
     * @param tradeDates the dates whose views were recomputed
     * @return rows loaded per table
     */
    public Map<String, Long> publish(Set<String> tradeDates, Instant cutoff, Duration period)
            throws SQLException, IOException
    {
        try (Connection connection = postgres.open()) {
            connection.setAutoCommit(false);
            Map<String, Long> loaded = new java.util.TreeMap<>();
            if (!tradeDates.isEmpty()) {
                for (Map.Entry<ViewStore.View, Table> entry : TABLES.entrySet()) {
                    Table table = entry.getValue();
                    loaded.put(table.name(), replace(connection, table, views.get().read(entry.getKey(), tradeDates), tradeDates));
                }
            }
            advanceCutoff(connection, cutoff, period, tradeDates);
            try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify('" + SpeedCommitNotification.PUBLISH_CHANNEL + "', ?)")) {
                notify.setString(1, cutoff.toString());
                notify.execute();
            }
            connection.commit();
            // Outside the publish: the serving views read speed_minute, not these rows, and a first publish
            // after days of history would otherwise hold the swap for the deletion of millions of them.
            connection.setAutoCommit(true);
            pruneSpeedTrades(connection, cutoff);
            return loaded;
        }
    }

    private static long replace(Connection connection, Table table, Dataset<Row> rows, Set<String> tradeDates)
            throws SQLException, IOException
    {
        String stage = "stage_" + table.name();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE " + stage + " (LIKE lambda." + table.name() + ") ON COMMIT DROP");
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        Dataset<Row> ordered = rows.select(table.columns().stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
        long copied = copy.copyIn("COPY " + stage + " (" + String.join(", ", table.columns()) + ") FROM STDIN (FORMAT csv)",
                new CsvRows(ordered.toLocalIterator()));
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM lambda." + table.name() + " WHERE " + table.timeColumn() + " >= ? AND " + table.timeColumn() + " < ?")) {
            for (String date : tradeDates) {
                LocalDate day = LocalDate.parse(date);
                if ("date".equals(table.timeColumn())) {
                    delete.setObject(1, day);
                    delete.setObject(2, day.plusDays(1));
                }
                else {
                    delete.setTimestamp(1, Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
                    delete.setTimestamp(2, Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
                }
                delete.addBatch();
            }
            delete.executeBatch();
        }
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO lambda." + table.name() + " (" + String.join(", ", table.columns()) + ") SELECT "
                    + String.join(", ", table.columns()) + " FROM " + stage);
        }
        return copied;
    }

    private static void advanceCutoff(Connection connection, Instant cutoff, Duration period, Set<String> publishedDates)
            throws SQLException
    {
        Timestamp at = Timestamp.from(cutoff);
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE lambda.cutoff SET cutoff_ts = GREATEST(cutoff_ts, ?), period = ?, updated_at = now()")) {
            statement.setTimestamp(1, at);
            statement.setString(2, period.toString());
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM lambda.speed_minute WHERE bucket < ?")) {
            statement.setTimestamp(1, at);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM lambda.batch_dirty_dates WHERE trade_date = ?")) {
            for (String date : publishedDates) {
                statement.setObject(1, LocalDate.parse(date));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void pruneSpeedTrades(Connection connection, Instant cutoff)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(DELETE_SPEED_TRADES)) {
            Timestamp at = Timestamp.from(cutoff);
            statement.setTimestamp(1, at);
            statement.setTimestamp(2, at);
            statement.executeUpdate();
        }
    }

    private static List<String> concat(List<String> columns, String column)
    {
        return java.util.stream.Stream.concat(columns.stream(), java.util.stream.Stream.of(column)).toList();
    }

    private record Table(String name, String timeColumn, List<String> columns) {}

    /** Spark rows as CSV text for COPY, produced as PostgreSQL reads it. */
    private static final class CsvRows
            extends Reader
    {
        private final Iterator<Row> rows;
        private final StringBuilder buffer = new StringBuilder();
        private int position;

        CsvRows(Iterator<Row> rows)
        {
            this.rows = rows;
        }

        @Override
        public int read(char[] target, int offset, int length)
        {
            while (position == buffer.length()) {
                if (!rows.hasNext()) {
                    return -1;
                }
                buffer.setLength(0);
                position = 0;
                appendRow(rows.next());
            }
            int count = Math.min(length, buffer.length() - position);
            buffer.getChars(position, position + count, target, offset);
            position += count;
            return count;
        }

        private void appendRow(Row row)
        {
            for (int i = 0; i < row.length(); i++) {
                if (i > 0) {
                    buffer.append(',');
                }
                Object value = row.get(i);
                if (value instanceof String text) {
                    buffer.append('"').append(text.replace("\"", "\"\"")).append('"');
                }
                else if (value != null) {
                    // Double.toString is the shortest text that reads back as the same double: no rounding.
                    buffer.append(value);
                }
            }
            buffer.append('\n');
        }

        @Override
        public void close() {}
    }
}
