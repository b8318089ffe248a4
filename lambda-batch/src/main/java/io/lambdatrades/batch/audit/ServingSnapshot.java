package io.lambdatrades.batch.audit;

import io.lambdatrades.common.AbsorbedOffsets;
import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.PostgresConnection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * What the serving views answer and how far each path had got, read in one snapshot: the cutoff, the
 * offsets the master dataset has absorbed and the speed layer has written, the views' rows, and the
 * late trades the speed layer holds for closed periods. A publish or a speed commit is in it whole or
 * not at all, so the trades these offsets name are exactly what the views should aggregate.
 *
 * @param speedOffsets the next offset the speed layer has not written, per partition
 * @param lateTrades trades the speed layer saw for closed periods, per symbol and day: in the views after the next batch run
 * @param lost offsets the absorb ledger records as deleted from Kafka before they were absorbed
 * @param undecodable offsets the absorb ledger records as read but not decoded
 * @param summaries the rows of {@code symbol_summaries}, the API's symbol list
 */
record ServingSnapshot(Instant cutoff, Map<Integer, Long> absorbedOffsets, Map<Integer, Long> speedOffsets, List<BucketAggregate> views,
        Map<String, Map<LocalDate, Long>> lateTrades, List<OffsetRange> lost, List<OffsetRange> undecodable, List<SymbolFigures> summaries)
{
    ServingSnapshot
    {
        requireNonNull(cutoff, "cutoff is null");
        absorbedOffsets = Map.copyOf(absorbedOffsets);
        speedOffsets = Map.copyOf(speedOffsets);
        views = List.copyOf(views);
        lateTrades = Map.copyOf(lateTrades);
        lost = List.copyOf(lost);
        undecodable = List.copyOf(undecodable);
        summaries = List.copyOf(summaries);
    }

    static ServingSnapshot read(PostgresConnection postgres, String topic, AuditScope scope)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try {
                Instant cutoff = cutoff(connection);
                ServingSnapshot snapshot = new ServingSnapshot(cutoff, AbsorbedOffsets.read(connection, topic), speedOffsets(connection), views(connection, scope),
                        lateTrades(connection), ranges(connection, LOST, topic), ranges(connection, UNDECODABLE, topic), summaries(connection));
                connection.commit();
                return snapshot;
            }
            finally {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            }
        }
    }

    private static final String LOST = "SELECT kafka_partition, first_offset, last_offset + 1 FROM lambda.retention_losses WHERE topic = ? ORDER BY 1, 2";
    private static final String UNDECODABLE = "SELECT kafka_partition, first_offset, end_offset FROM lambda.absorb_undecodable WHERE topic = ? ORDER BY 1, 2";

    private static Instant cutoff(Connection connection)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT cutoff_ts FROM lambda.cutoff"); ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        }
    }

    /** How far the speed layer has written, read on its own while the audit waits for it. */
    static Map<Integer, Long> speedOffsets(PostgresConnection postgres)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            return speedOffsets(connection);
        }
    }

    private static List<OffsetRange> ranges(Connection connection, String sql, String topic)
            throws SQLException
    {
        List<OffsetRange> ranges = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, topic);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ranges.add(new OffsetRange(rows.getInt(1), rows.getLong(2), rows.getLong(3)));
                }
            }
        }
        return ranges;
    }

    // Either speed mode may have written a partition last; a trade below any query's offset is written.
    private static Map<Integer, Long> speedOffsets(Connection connection)
            throws SQLException
    {
        Map<Integer, Long> offsets = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT kafka_partition, max(next_offset) FROM lambda.speed_offsets GROUP BY kafka_partition");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                offsets.put(rows.getInt(1), rows.getLong(2));
            }
        }
        return offsets;
    }

    private static List<BucketAggregate> views(Connection connection, AuditScope scope)
            throws SQLException
    {
        List<BucketAggregate> views = new ArrayList<>();
        for (Grain grain : scope.grains()) {
            String sql = "SELECT symbol, bucket, " + AggregateColumns.sql(AggregateColumns.FIGURES) + " FROM " + grain.view();
            if (scope.everyDayWithData()) {
                readViews(connection, grain, sql, List.of(), views);
                continue;
            }
            for (LocalDate day : scope.days()) {
                readViews(connection, grain, sql + " WHERE bucket >= ? AND bucket < ?",
                        List.of(day.atStartOfDay().atOffset(ZoneOffset.UTC), day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)), views);
            }
        }
        return views;
    }

    private static void readViews(Connection connection, Grain grain, String sql, List<OffsetDateTime> bounds, List<BucketAggregate> views)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(10_000);
            for (int i = 0; i < bounds.size(); i++) {
                statement.setObject(i + 1, bounds.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    views.add(new BucketAggregate(grain, rows.getString(1), rows.getTimestamp(2).getTime(), rows.getDouble(3), rows.getDouble(4),
                            rows.getDouble(5), rows.getDouble(6), rows.getDouble(7), rows.getLong(8), rows.getDouble(9)));
                }
            }
        }
    }

    private static List<SymbolFigures> summaries(Connection connection)
            throws SQLException
    {
        List<SymbolFigures> summaries = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT symbol, date, price, previous_close, change, pct_change, day_open, day_high, day_low,"
                + " day_volume, day_trades, day_vwap, last_trade_ts, hourly_closes FROM lambda.symbol_summaries");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Array closes = rows.getArray(14);
                summaries.add(new SymbolFigures(rows.getString(1), rows.getObject(2, LocalDate.class), rows.getDouble(3), optional(rows, 4), optional(rows, 5),
                        optional(rows, 6), rows.getDouble(7), rows.getDouble(8), rows.getDouble(9), rows.getDouble(10), rows.getLong(11), optional(rows, 12),
                        rows.getTimestamp(13).toInstant(), closes == null ? List.of() : Arrays.asList((Double[]) closes.getArray())));
            }
        }
        return summaries;
    }

    private static OptionalDouble optional(ResultSet rows, int column)
            throws SQLException
    {
        double value = rows.getDouble(column);
        return rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static Map<String, Map<LocalDate, Long>> lateTrades(Connection connection)
            throws SQLException
    {
        Map<String, Map<LocalDate, Long>> late = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT symbol, (date_trunc('day', bucket, 'UTC') AT TIME ZONE 'UTC')::date, sum(trades)::bigint
                FROM lambda.speed_minute WHERE bucket < (SELECT cutoff_ts FROM lambda.cutoff) GROUP BY 1, 2""");
                ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                late.computeIfAbsent(rows.getString(1), symbol -> new HashMap<>()).put(rows.getObject(2, LocalDate.class), rows.getLong(3));
            }
        }
        return late;
    }

    long lateTrades(String symbol)
    {
        return lateTrades.getOrDefault(symbol, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    long lateTrades(String symbol, LocalDate day)
    {
        return lateTrades.getOrDefault(symbol, Map.of()).getOrDefault(day, 0L);
    }
}
