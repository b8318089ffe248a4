package io.lambdatrades.batch;

import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedCommitNotification;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * replaces those dates in the {@code batch_*} tables, advances the cutoff, records the absorb offsets
 * the views reach ({@code published_offsets}) and leaves in {@code speed_minute}, before the cutoff,
 * only the late trades: those the speed layer wrote that the views do not hold (absorbed after this
 * run's absorb). A reader sees the state before the publish or after it, never between.
 */
public final class ViewPublisher
{
    private static final List<String> AGGREGATE_COLUMNS = concat(List.of("symbol", "exchange", "instrument", "bucket", "vwap"), AggregateColumns.PARTIAL);
    private static final List<String> EXCHANGE_COLUMNS = List.of("exchange", "date", "volume", "trades", "low", "high", "symbols");
    private static final Map<ViewStore.View, Table> TABLES = Map.of(
            ViewStore.View.MINUTE, new Table("batch_minute", "bucket", AGGREGATE_COLUMNS),
            ViewStore.View.HOURLY, new Table("batch_hourly", "bucket", AGGREGATE_COLUMNS),
            ViewStore.View.DAILY, new Table("batch_daily", "bucket", concat(AGGREGATE_COLUMNS, List.of("date"))),
            ViewStore.View.EXCHANGE_DAILY, new Table("batch_exchange_daily", "date", EXCHANGE_COLUMNS));
    // The newest trade of each symbol before the cutoff stays: the speed layer's next change is against
    // it; so do the late trades, which a later publish holds. One pass over the older rows against the
    // few kept, not a probe per deleted row.
    private static final String DELETE_SPEED_TRADES = """
            DELETE FROM lambda.speed_trades t USING lambda.published_offsets p
            WHERE t.ts < ? AND p.kafka_partition = t.kafka_partition AND t.kafka_offset < p.next_offset
              AND (t.kafka_partition, t.kafka_offset) NOT IN (
                SELECT DISTINCT ON (symbol) kafka_partition, kafka_offset FROM lambda.speed_trades
                WHERE ts < ? ORDER BY symbol, ts DESC, kafka_partition DESC, kafka_offset DESC)""";
    // The speed writers wait from here to the commit (they take ROW EXCLUSIVE first): none is half way
    // between the cutoff it read and the minutes it merges while the late minutes are rebuilt.
    private static final String LOCK_SPEED_MINUTE = "LOCK TABLE lambda.speed_minute IN SHARE ROW EXCLUSIVE MODE";
    private static final String PUBLISH_OFFSETS = """
            INSERT INTO lambda.published_offsets AS p (kafka_partition, next_offset)
            SELECT kafka_partition, next_offset FROM lambda.absorb_offsets WHERE topic = ?
            ON CONFLICT (kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset""";
    // The late minutes, from the speed layer's trades the views do not hold; open and close in (ts,
    // partition, offset) order. Read from each partition's published offset on (a range of the key),
    // not by a scan of the day's trades while the speed writers wait.
    private static final String LATE_MINUTES = "INSERT INTO lambda.speed_minute (symbol, bucket, " + AggregateColumns.sql(AggregateColumns.PARTIAL) + ") " + """
            SELECT t.symbol, date_trunc('minute', t.ts, 'UTC'),
                   (array_agg(price ORDER BY ts, t.kafka_partition, t.kafka_offset))[1], max(price), min(price),
                   (array_agg(price ORDER BY ts DESC, t.kafka_partition DESC, t.kafka_offset DESC))[1],
                   sum(volume), count(*), sum(price * volume),
                   min(ts), (array_agg(t.kafka_partition ORDER BY ts, t.kafka_partition, t.kafka_offset))[1],
                   (array_agg(t.kafka_offset ORDER BY ts, t.kafka_partition, t.kafka_offset))[1],
                   max(ts), (array_agg(t.kafka_partition ORDER BY ts DESC, t.kafka_partition DESC, t.kafka_offset DESC))[1],
                   (array_agg(t.kafka_offset ORDER BY ts DESC, t.kafka_partition DESC, t.kafka_offset DESC))[1]
            FROM (SELECT kafka_partition, coalesce(p.next_offset, 0) AS next_offset
                  FROM (SELECT kafka_partition FROM lambda.speed_offsets UNION SELECT kafka_partition FROM lambda.published_offsets) k
                  LEFT JOIN lambda.published_offsets p USING (kafka_partition)) r
            JOIN lambda.speed_trades t ON t.kafka_partition = r.kafka_partition AND t.kafka_offset >= r.next_offset
            WHERE t.ts < ?
            GROUP BY 1, 2""";

    // The speed layer's rollups hold only minutes at or after the cutoff: the buckets the new cutoff
    // passed go, and the one it cuts in two is rolled up again from the minutes after it.
    private static final List<SpeedRollup> SPEED_ROLLUPS = List.of(new SpeedRollup("speed_hourly", "hour", 3_600_000L), new SpeedRollup("speed_daily", "day", 86_400_000L));
    private static final String REBUILD_ROLLUP = "INSERT INTO lambda.%s (symbol, bucket, " + AggregateColumns.sql(AggregateColumns.PARTIAL) + ")"
            + " SELECT * FROM lambda.speed_minutes_rolled_up(?, ?, ?)";

    private final PostgresConnection postgres;
    private final String topic;
    private final Supplier<? extends ViewRows> views;

    /**
     * @param topic the trade topic, whose absorb offsets the views reach
     * @param views read only when there are dates to publish, so that a publish of nothing needs no Spark
     */
    public ViewPublisher(PostgresConnection postgres, String topic, Supplier<? extends ViewRows> views)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.topic = requireNonNull(topic, "topic is null");
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
                    loaded.put(table.name(), replace(connection, table, views.get().rows(entry.getKey(), tradeDates, table.columns()), tradeDates));
                }
            }
            Instant effective = advanceCutoff(connection, cutoff, period, tradeDates);
            keepLateMinutesOnly(connection, cutoff);
            keepSpeedRollupsAfter(connection, effective);
            // Every symbol: the cutoff moved under all of them.
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT lambda.refresh_symbol_summaries(NULL)");
            }
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

    private static long replace(Connection connection, Table table, Iterator<Row> rows, Set<String> tradeDates)
            throws SQLException, IOException
    {
        String stage = "stage_" + table.name();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE " + stage + " (LIKE lambda." + table.name() + ") ON COMMIT DROP");
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        long copied = copy.copyIn("COPY " + stage + " (" + String.join(", ", table.columns()) + ") FROM STDIN (FORMAT csv)", new CsvRows(rows));
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

    /** @return the cutoff now: never earlier than it was */
    private static Instant advanceCutoff(Connection connection, Instant cutoff, Duration period, Set<String> publishedDates)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.execute(LOCK_SPEED_MINUTE);
        }
        Instant effective;
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE lambda.cutoff SET cutoff_ts = GREATEST(cutoff_ts, ?), period = ?, updated_at = now() RETURNING cutoff_ts")) {
            statement.setTimestamp(1, Timestamp.from(cutoff));
            statement.setString(2, period.toString());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                effective = row.getTimestamp(1).toInstant();
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM lambda.batch_dirty_dates WHERE trade_date = ?")) {
            for (String date : publishedDates) {
                statement.setObject(1, LocalDate.parse(date));
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return effective;
    }

    private void keepLateMinutesOnly(Connection connection, Instant cutoff)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(PUBLISH_OFFSETS)) {
            statement.setString(1, topic);
            statement.executeUpdate();
        }
        Timestamp at = Timestamp.from(cutoff);
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM lambda.speed_minute WHERE bucket < ?")) {
            statement.setTimestamp(1, at);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement(LATE_MINUTES)) {
            statement.setTimestamp(1, at);
            statement.executeUpdate();
        }
    }

    private static void keepSpeedRollupsAfter(Connection connection, Instant cutoff)
            throws SQLException
    {
        long cutoffMs = cutoff.toEpochMilli();
        for (SpeedRollup rollup : SPEED_ROLLUPS) {
            long bucket = Math.floorDiv(cutoffMs, rollup.sizeMs()) * rollup.sizeMs();
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM lambda." + rollup.table() + " WHERE bucket < ?")) {
                statement.setTimestamp(1, Timestamp.from(cutoff));
                statement.executeUpdate();
            }
            if (bucket < cutoffMs) {
                try (PreparedStatement statement = connection.prepareStatement(REBUILD_ROLLUP.formatted(rollup.table()))) {
                    statement.setString(1, rollup.grain());
                    statement.setTimestamp(2, Timestamp.from(cutoff));
                    statement.setTimestamp(3, new Timestamp(bucket + rollup.sizeMs()));
                    statement.executeUpdate();
                }
            }
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

    private static List<String> concat(List<String> columns, List<String> more)
    {
        return java.util.stream.Stream.concat(columns.stream(), more.stream()).toList();
    }

    private record Table(String name, String timeColumn, List<String> columns) {}

    /** @param grain as {@code date_trunc} names it */
    private record SpeedRollup(String table, String grain, long sizeMs) {}

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
