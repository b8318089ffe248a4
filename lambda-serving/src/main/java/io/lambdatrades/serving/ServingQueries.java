package io.lambdatrades.serving;

import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.SpeedCommitNotification;
import io.lambdatrades.common.SpeedQueryNames;

import javax.sql.DataSource;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Every read of the serving layer, over the merged views of schema {@code lambda}: the SQL there is
 * the one implementation of the combine rule, this class only selects from it.
 */
public final class ServingQueries
{
    private static final String SYMBOL_EXISTS = """
            SELECT EXISTS (SELECT 1 FROM lambda.batch_daily WHERE symbol = ?) OR EXISTS (SELECT 1 FROM lambda.speed_minute WHERE symbol = ?)
                   OR EXISTS (SELECT 1 FROM lambda.speed_trades WHERE symbol = ?)""";
    private static final String AGGREGATES = "SELECT symbol, bucket, " + AggregateColumns.sql(AggregateColumns.FIGURES) + ", vwap, source " + """
            FROM lambda.%s WHERE symbol = ? AND bucket >= ? AND bucket < ? ORDER BY bucket""";
    private static final String TRADE_COLUMNS = "t.symbol, t.price, t.volume, t.ts, t.conditions, t.price_change, t.pct_change, t.kafka_partition, t.kafka_offset, t.ingest_ts";
    private static final String LATEST_TRADES = "SELECT " + TRADE_COLUMNS + """
             FROM lambda.speed_trades t WHERE t.symbol = ?
            ORDER BY t.ts DESC, t.kafka_partition DESC, t.kafka_offset DESC LIMIT ?""";
    private static final String COMMITTED_TRADES = "SELECT " + TRADE_COLUMNS + """
             FROM unnest(?::int[], ?::bigint[], ?::bigint[]) AS r (kafka_partition, first_offset, last_offset)
            JOIN lambda.speed_trades t ON t.kafka_partition = r.kafka_partition AND t.kafka_offset BETWEEN r.first_offset AND r.last_offset
            ORDER BY t.ts, t.kafka_partition, t.kafka_offset""";
    private static final String TRADES_AFTER = "SELECT " + TRADE_COLUMNS + """
             FROM unnest(?::int[], ?::bigint[]) AS r (kafka_partition, next_offset)
            JOIN lambda.speed_trades t ON t.kafka_partition = r.kafka_partition AND t.kafka_offset >= r.next_offset
            ORDER BY t.kafka_partition, t.kafka_offset LIMIT ?""";
    private static final String MINUTES = """
            SELECT m.symbol, m.bucket, m.open, m.high, m.low, m.close, m.volume, m.trades, m.notional, m.vwap, m.source
            FROM unnest(?::text[], ?::timestamptz[]) AS k (symbol, bucket)
            CROSS JOIN LATERAL (SELECT * FROM lambda.serving_minute v WHERE v.symbol = k.symbol AND v.bucket = k.bucket) m
            ORDER BY m.symbol, m.bucket""";
    private static final String FRESHNESS = """
            SELECT c.cutoff_ts, c.period,
                   -- The newest trade the views hold: the rollups hold every minute at or after the cutoff (a row
                   -- per symbol and day), speed_minute the late ones below it, batch_latest_days each symbol's last
                   -- batch days (the newest trade when none came after a publish); none reads a day of minutes.
                   GREATEST((SELECT max(last_ts) FROM lambda.speed_daily), (SELECT max(last_ts) FROM lambda.speed_minute WHERE bucket < c.cutoff_ts),
                            (SELECT max(last_ts) FROM lambda.batch_latest_days)),
                   -- The last micro-batch's commit, or real-time mode's writers' last (a row per partition).
                   GREATEST((SELECT committed_at FROM lambda.speed_batches WHERE query_name = '%s' ORDER BY batch_id DESC LIMIT 1),
                            (SELECT max(committed_at) FROM lambda.speed_batches WHERE query_name = '%s')),
                   (SELECT coalesce(sum(trades), 0) FROM lambda.speed_minute WHERE bucket < c.cutoff_ts),
                   -- When the newest trade written in each partition entered the system: the speed layer's
                   -- delay is measured from there, not from the exchange's trade time (the feed's own lag).
                   (SELECT max(t.ingest_ts) FROM lambda.speed_offsets o
                    JOIN lambda.speed_trades t ON t.kafka_partition = o.kafka_partition AND t.kafka_offset = o.next_offset - 1)
            FROM lambda.cutoff c""".formatted(SpeedQueryNames.QUERY, SpeedQueryNames.REAL_TIME_GROUPS);
    private static final int FRESHNESS_COLUMNS = 6;
    // symbol_summaries, kept by the speed commit and the publish (V17): serving_latest with each symbol's hourly
    // closes of its last 24 hours, and the freshness row: one round trip, one snapshot. The freshness is a row
    // of its own (no symbol), not repeated beside each symbol's: a third of the values the driver decoded.
    private static final String SYMBOL_LIST = """
            WITH f AS MATERIALIZED (%s)
            SELECT f.*, s.symbol, s.price, s.change, s.pct_change, s.previous_close, s.date, s.day_open, s.day_high, s.day_low, s.day_volume,
                   s.day_trades, s.day_vwap, s.last_trade_ts, s.hourly_closes
            FROM lambda.symbol_summaries s FULL JOIN f ON false ORDER BY s.symbol""".formatted(FRESHNESS);
    private static final String RUNS = """
            SELECT run_id, period_start, period_end, trigger, state, queued_at, started_at, ended_at, attempts, error,
                   next_attempt_at, trades_absorbed, rows_published, offsets_lost, audit_differences
            FROM lambda.batch_runs ORDER BY run_id DESC LIMIT ?""";
    private static final String TASKS = """
            SELECT run_id, task, state, started_at, ended_at, attempts, error
            FROM lambda.batch_task_runs WHERE run_id = ANY (?) ORDER BY run_id,
                CASE task WHEN 'absorb' THEN 1 WHEN 'views' THEN 2 WHEN 'publish' THEN 3 WHEN 'audit' THEN 4 ELSE 5 END, task""";

    private final DataSource dataSource;

    public ServingQueries(DataSource dataSource)
    {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    /** Every symbol's row of the symbol list and the views' freshness, read in one statement and so one snapshot. */
    public SymbolList symbolList()
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(SYMBOL_LIST);
                ResultSet rows = statement.executeQuery()) {
            Freshness freshness = Freshness.UNKNOWN;
            List<SymbolSummary> symbols = new ArrayList<>();
            while (rows.next()) {
                if (rows.getString(FRESHNESS_COLUMNS + 1) == null) {
                    freshness = freshness(rows);
                }
                else {
                    symbols.add(symbolSummary(rows, FRESHNESS_COLUMNS));
                }
            }
            return new SymbolList(symbols, freshness);
        }
    }

    private static SymbolSummary symbolSummary(ResultSet rows, int before)
            throws SQLException
    {
        OffsetDateTime lastTrade = rows.getObject(before + 13, OffsetDateTime.class);
        Array closes = rows.getArray(before + 14);
        return new SymbolSummary(rows.getString(before + 1), rows.getDouble(before + 2), nullableDouble(rows, before + 3), nullableDouble(rows, before + 4),
                nullableDouble(rows, before + 5), rows.getString(before + 6), rows.getDouble(before + 7), rows.getDouble(before + 8), rows.getDouble(before + 9),
                rows.getDouble(before + 10), rows.getLong(before + 11), nullableDouble(rows, before + 12), iso(lastTrade), lastTrade.toInstant().toEpochMilli(),
                closes == null ? List.of() : Arrays.asList((Double[]) closes.getArray()));
    }

    public boolean symbolExists(String symbol)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(SYMBOL_EXISTS)) {
            statement.setString(1, symbol);
            statement.setString(2, symbol);
            statement.setString(3, symbol);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    /** Buckets starting in [from, to), in bucket order. */
    public List<AggregateRow> aggregates(Interval interval, String symbol, Instant from, Instant to)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(AGGREGATES.formatted(interval.view()))) {
            statement.setString(1, symbol);
            statement.setObject(2, time(from));
            statement.setObject(3, time(to));
            return aggregateRows(statement, interval == Interval.DAY);
        }
    }

    public List<EnrichedTrade> latestTrades(String symbol, int limit)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(LATEST_TRADES)) {
            statement.setString(1, symbol);
            statement.setInt(2, limit);
            return trades(statement);
        }
    }

    /** The trades a speed commit inserted, in trade order. */
    public List<EnrichedTrade> committedTrades(SpeedCommitNotification commit)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(COMMITTED_TRADES)) {
            List<SpeedCommitNotification.Range> ranges = commit.ranges();
            statement.setArray(1, connection.createArrayOf("int4", ranges.stream().map(SpeedCommitNotification.Range::partition).toArray()));
            statement.setArray(2, connection.createArrayOf("int8", ranges.stream().map(SpeedCommitNotification.Range::first).toArray()));
            statement.setArray(3, connection.createArrayOf("int8", ranges.stream().map(SpeedCommitNotification.Range::last).toArray()));
            return trades(statement);
        }
    }

    /**
     * Trades the speed layer holds at or after the given next offset of each partition (a stream client
     * resuming), in partition and offset order, at most {@code limit}.
     */
    public List<EnrichedTrade> tradesAfter(Map<Integer, Long> nextOffsets, int limit)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(TRADES_AFTER)) {
            statement.setArray(1, connection.createArrayOf("int4", nextOffsets.keySet().toArray()));
            statement.setArray(2, connection.createArrayOf("int8", nextOffsets.values().toArray()));
            statement.setInt(3, limit);
            return trades(statement);
        }
    }

    /** The merged minute candles of these (symbol, minute) pairs. */
    public List<AggregateRow> minutes(List<String> symbols, List<Instant> buckets)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(MINUTES)) {
            statement.setArray(1, connection.createArrayOf("text", symbols.toArray()));
            statement.setArray(2, connection.createArrayOf("timestamptz", buckets.stream().map(ServingQueries::time).toArray()));
            return aggregateRows(statement, false);
        }
    }

    public Freshness freshness()
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(FRESHNESS);
                ResultSet rows = statement.executeQuery()) {
            return rows.next() ? freshness(rows) : Freshness.UNKNOWN;
        }
    }

    /** The first {@link #FRESHNESS_COLUMNS} columns of the row, as {@link #FRESHNESS} selects them. */
    private static Freshness freshness(ResultSet rows)
            throws SQLException
    {
        OffsetDateTime cutoff = rows.getObject(1, OffsetDateTime.class);
        OffsetDateTime lastTrade = rows.getObject(3, OffsetDateTime.class);
        OffsetDateTime lastCommit = rows.getObject(4, OffsetDateTime.class);
        Long lastTradeMs = lastTrade == null ? null : lastTrade.toInstant().toEpochMilli();
        OffsetDateTime newestIngest = rows.getObject(6, OffsetDateTime.class);
        // A partition whose newest record was a dead letter has no trade at its last offset: then the trade time.
        Long newestMs = newestIngest != null ? Long.valueOf(newestIngest.toInstant().toEpochMilli()) : lastTradeMs;
        Long delay = newestMs == null || lastCommit == null ? null : Math.max(0, lastCommit.toInstant().toEpochMilli() - newestMs);
        Long silence = lastTradeMs == null ? null : Math.max(0, System.currentTimeMillis() - lastTradeMs);
        return new Freshness(iso(cutoff), cutoff.toInstant().toEpochMilli(), rows.getString(2), lastTrade == null ? null : iso(lastTrade), lastTradeMs,
                lastCommit == null ? null : iso(lastCommit), delay, silence, rows.getLong(5));
    }

    public List<BatchRun> batchRuns(int limit)
            throws SQLException
    {
        try (Connection connection = dataSource.getConnection()) {
            Map<Long, BatchRun> runs = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(RUNS)) {
                statement.setInt(1, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        OffsetDateTime started = rows.getObject(7, OffsetDateTime.class);
                        OffsetDateTime ended = rows.getObject(8, OffsetDateTime.class);
                        runs.put(rows.getLong(1), new BatchRun(rows.getLong(1), iso(rows.getObject(2, OffsetDateTime.class)), iso(rows.getObject(3, OffsetDateTime.class)),
                                rows.getString(4), rows.getString(5), iso(rows.getObject(6, OffsetDateTime.class)), iso(started), iso(ended),
                                duration(started, ended), rows.getInt(9), iso(rows.getObject(11, OffsetDateTime.class)), rows.getObject(12, Long.class),
                                rows.getObject(13, Long.class), rows.getObject(14, Long.class), rows.getString(10), rows.getObject(15, Long.class), List.of()));
                    }
                }
            }
            Map<Long, List<BatchRun.Task>> tasks = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(TASKS)) {
                Array ids = connection.createArrayOf("int8", runs.keySet().toArray());
                statement.setArray(1, ids);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        OffsetDateTime started = rows.getObject(4, OffsetDateTime.class);
                        OffsetDateTime ended = rows.getObject(5, OffsetDateTime.class);
                        tasks.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(new BatchRun.Task(rows.getString(2), rows.getString(3),
                                iso(started), iso(ended), duration(started, ended), rows.getInt(6), rows.getString(7)));
                    }
                }
            }
            return runs.values().stream().map(run -> run.withTasks(tasks.getOrDefault(run.runId(), List.of()))).toList();
        }
    }

    /** Whether PostgreSQL answers, within the pool's connection timeout. */
    public boolean ready()
    {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        }
        catch (SQLException e) {
            return false;
        }
    }

    private static List<AggregateRow> aggregateRows(PreparedStatement statement, boolean daily)
            throws SQLException
    {
        List<AggregateRow> result = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Instant bucket = rows.getObject(2, OffsetDateTime.class).toInstant();
                String iso = bucket.toString();
                result.add(new AggregateRow(rows.getString(1), iso, bucket.toEpochMilli(), daily ? iso.substring(0, 10) : null,
                        rows.getDouble(3), rows.getDouble(4), rows.getDouble(5), rows.getDouble(6), rows.getDouble(7), rows.getLong(8), rows.getDouble(9),
                        nullableDouble(rows, 10), rows.getString(11)));
            }
        }
        return result;
    }

    private static List<EnrichedTrade> trades(PreparedStatement statement)
            throws SQLException
    {
        List<EnrichedTrade> result = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                Instant ts = rows.getObject(4, OffsetDateTime.class).toInstant();
                Array conditions = rows.getArray(5);
                result.add(new EnrichedTrade(rows.getString(1), rows.getDouble(2), rows.getDouble(3), ts.toString(), ts.toEpochMilli(),
                        conditions == null ? List.of() : Arrays.asList((String[]) conditions.getArray()), nullableDouble(rows, 6), nullableDouble(rows, 7),
                        rows.getInt(8), rows.getLong(9), rows.getObject(10, OffsetDateTime.class).toInstant().toEpochMilli()));
            }
        }
        return result;
    }

    private static Double nullableDouble(ResultSet rows, int column)
            throws SQLException
    {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }

    private static Long duration(OffsetDateTime started, OffsetDateTime ended)
    {
        return started == null || ended == null ? null : ended.toInstant().toEpochMilli() - started.toInstant().toEpochMilli();
    }

    private static String iso(OffsetDateTime time)
    {
        return Optional.ofNullable(time).map(value -> value.toInstant().toString()).orElse(null);
    }

    static OffsetDateTime time(Instant instant)
    {
        return OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC);
    }
}
