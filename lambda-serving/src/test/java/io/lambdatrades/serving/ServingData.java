package io.lambdatrades.serving;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.speed.KafkaTrade;
import io.lambdatrades.speed.SpeedSink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Puts trades where the serving views read them: through the real speed sink, and as batch rows with a
 * publish that, as the batch layer's, replaces the dates' rows, moves the cutoff and deletes the speed
 * minutes before it in one transaction.
 */
final class ServingData
{
    private final PostgresConnection database;
    private final SpeedSink sink;
    private long batchId;

    ServingData(PostgresConnection database)
    {
        this.database = requireNonNull(database, "database is null");
        this.sink = new SpeedSink(database, "speed");
    }

    /** As the speed layer commits them, in one transaction. */
    void speed(List<SentTrade> trades)
            throws SQLException
    {
        sink.write(batchId++, trades.stream().map(sent -> new KafkaTrade(sent.trade(), sent.partition(), sent.offset())).toList());
    }

    /** The batch views of {@code absorbed} before {@code cutoff}, for every date they touch, then the cutoff. */
    void publish(List<SentTrade> absorbed, Instant cutoff)
            throws SQLException
    {
        List<SentTrade> before = absorbed.stream().filter(sent -> sent.trade().ts() < cutoff.toEpochMilli()).toList();
        TreeSet<Long> days = new TreeSet<>();
        before.forEach(sent -> days.add(Math.floorDiv(sent.trade().ts(), 86_400_000L)));
        try (Connection connection = database.open()) {
            connection.setAutoCommit(false);
            for (Map.Entry<String, Long> table : Map.of("batch_minute", 60_000L, "batch_hourly", 3_600_000L, "batch_daily", 86_400_000L).entrySet()) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM lambda." + table.getKey() + " WHERE bucket >= ? AND bucket < ?")) {
                    for (long day : days) {
                        delete.setObject(1, time(day * 86_400_000L));
                        delete.setObject(2, time((day + 1) * 86_400_000L));
                        delete.addBatch();
                    }
                    delete.executeBatch();
                }
                insert(connection, table.getKey(), KeyedAggregate.of(before, table.getValue()));
            }
            try (PreparedStatement statement = connection.prepareStatement("UPDATE lambda.cutoff SET cutoff_ts = GREATEST(cutoff_ts, ?)")) {
                statement.setObject(1, time(cutoff.toEpochMilli()));
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM lambda.speed_minute WHERE bucket < ?")) {
                statement.setObject(1, time(cutoff.toEpochMilli()));
                statement.executeUpdate();
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_notify('lambda_publish', '" + cutoff + "')");
            }
            connection.commit();
        }
    }

    private static void insert(Connection connection, String table, Map<String, KeyedAggregate> rows)
            throws SQLException
    {
        boolean daily = table.equals("batch_daily");
        String sql = "INSERT INTO lambda." + table + " (symbol, exchange, instrument, bucket, open, high, low, close, volume, trades, notional, vwap,"
                + " first_ts, first_partition, first_offset, last_ts, last_partition, last_offset" + (daily ? ", date" : "")
                + ") VALUES (?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?" + (daily ? ", ?" : "") + ")";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (KeyedAggregate row : rows.values()) {
                statement.setString(1, row.symbol);
                statement.setObject(2, time(row.bucket));
                statement.setDouble(3, row.open);
                statement.setDouble(4, row.high);
                statement.setDouble(5, row.low);
                statement.setDouble(6, row.close);
                statement.setDouble(7, row.volume);
                statement.setLong(8, row.trades);
                statement.setDouble(9, row.notional);
                statement.setObject(10, row.volume == 0 ? null : row.notional / row.volume);
                statement.setObject(11, time(row.first.trade().ts()));
                statement.setInt(12, row.first.partition());
                statement.setLong(13, row.first.offset());
                statement.setObject(14, time(row.last.trade().ts()));
                statement.setInt(15, row.last.partition());
                statement.setLong(16, row.last.offset());
                if (daily) {
                    statement.setObject(17, time(row.bucket).toLocalDate());
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    static OffsetDateTime time(long epochMillis)
    {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /** A batch row: the aggregate of a bucket with the keys of its first and last trade. */
    static final class KeyedAggregate
    {
        final String symbol;
        final long bucket;
        double open;
        double high = Double.NEGATIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        double close;
        double volume;
        long trades;
        double notional;
        SentTrade first;
        SentTrade last;

        private KeyedAggregate(String symbol, long bucket)
        {
            this.symbol = symbol;
            this.bucket = bucket;
        }

        static Map<String, KeyedAggregate> of(List<SentTrade> trades, long bucketMillis)
        {
            Map<String, KeyedAggregate> rows = new TreeMap<>();
            trades.stream().sorted(SentTrade.ORDER).forEach(sent -> {
                long bucket = Math.floorDiv(sent.trade().ts(), bucketMillis) * bucketMillis;
                KeyedAggregate row = rows.computeIfAbsent(sent.trade().symbol() + "@" + bucket, key -> new KeyedAggregate(sent.trade().symbol(), bucket));
                if (row.first == null) {
                    row.first = sent;
                    row.open = sent.trade().price();
                }
                row.last = sent;
                row.close = sent.trade().price();
                row.high = Math.max(row.high, sent.trade().price());
                row.low = Math.min(row.low, sent.trade().price());
                row.volume += sent.trade().volume();
                row.notional += sent.trade().price() * sent.trade().volume();
                row.trades++;
            });
            return rows;
        }
    }
}
