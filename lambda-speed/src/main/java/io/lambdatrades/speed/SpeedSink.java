package io.lambdatrades.speed;

import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedCommitNotification;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.Trade;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Writes one micro-batch to PostgreSQL in one transaction together with its batch id and the next
 * Kafka offset of each partition: the trades with their change against the symbol's previous trade,
 * and the minute aggregates merged additively. Trades before those offsets were written by an
 * earlier transaction and are skipped, so a batch replayed after a crash, or the topic read again
 * from the start after the checkpoint was lost, writes nothing twice.
 */
public final class SpeedSink
{
    // Each of the batch's partitions' written offset, locked until the commit, in one round trip: the upsert
    // creates a partition's row the first time (two writers of one partition then queue on it even then) and
    // otherwise locks the newest version of it, as FOR UPDATE would. Only the batch's partitions: writers of
    // other partitions (real-time mode) go on in parallel.
    private static final String LOCK_OFFSETS = """
            INSERT INTO lambda.speed_offsets AS o (query_name, kafka_partition, next_offset) SELECT ?, p, 0 FROM unnest(?::int[]) AS p ORDER BY p
            ON CONFLICT (query_name, kafka_partition) DO UPDATE SET next_offset = o.next_offset
            RETURNING kafka_partition, next_offset""";
    private static final String LOCK_OFFSETS_THEN_COVERAGE = LOCK_OFFSETS + ";\n" + BatchCoverage.LOCK_AND_READ;
    // An id seen before with new trades is a checkpoint that was lost: the id now names this batch.
    private static final String RECORD_BATCH = """
            INSERT INTO lambda.speed_batches (query_name, batch_id, trades) VALUES (?, ?, ?)
            ON CONFLICT (query_name, batch_id) DO UPDATE SET trades = EXCLUDED.trades""";
    private static final String TRADE_COLUMNS = "kafka_partition, kafka_offset, symbol, exchange, instrument, price, volume, ts, conditions, source, ingest_ts, batch_id, price_change, pct_change";
    // Both neighbours as ORDER BY ... LIMIT 1 on the symbol's index: written as EXISTS, the later one
    // was planned as a scan of the whole table, which grew with it (2.8 s at 3 M rows).
    private static final String SYMBOL_CONTEXTS = """
            SELECT s.symbol, p.price, n.later IS NOT NULL
            FROM unnest(?::text[], ?::timestamptz[], ?::int[], ?::bigint[]) AS s (symbol, ts, kafka_partition, kafka_offset)
            LEFT JOIN LATERAL (
                SELECT t.price FROM lambda.speed_trades t
                WHERE t.symbol = s.symbol AND (t.ts, t.kafka_partition, t.kafka_offset) < (s.ts, s.kafka_partition, s.kafka_offset)
                ORDER BY t.ts DESC, t.kafka_partition DESC, t.kafka_offset DESC LIMIT 1) p ON true
            LEFT JOIN LATERAL (
                SELECT true AS later FROM lambda.speed_trades t
                WHERE t.symbol = s.symbol AND (t.ts, t.kafka_partition, t.kafka_offset) > (s.ts, s.kafka_partition, s.kafka_offset)
                ORDER BY t.ts, t.kafka_partition, t.kafka_offset LIMIT 1) n ON true""";
    // Straight into the table: the offsets already rule out a trade that is there.
    private static final String COPY_TRADES = "COPY lambda.speed_trades (" + TRADE_COLUMNS + ") FROM STDIN (FORMAT binary)";
    private static final int TRADE_COLUMN_COUNT = 14;
    // The micro-batch's commit time, stamped in the transaction's last statement: the closest the database gets to it.
    private static final String STAMP_COMMIT = "UPDATE lambda.speed_batches SET committed_at = clock_timestamp() WHERE query_name = ? AND batch_id = ?";
    private static final String RECORD_GROUP = """
            INSERT INTO lambda.speed_batches AS b (query_name, batch_id, trades, committed_at, newest_trade_ts) VALUES (?, ?, ?, clock_timestamp(), ?)
            ON CONFLICT (query_name, batch_id) DO UPDATE
            SET trades = b.trades + EXCLUDED.trades, committed_at = clock_timestamp(), newest_trade_ts = GREATEST(b.newest_trade_ts, EXCLUDED.newest_trade_ts)""";
    private static final String PREVIOUS_KEY = """
            SELECT ts, kafka_partition, kafka_offset FROM lambda.speed_trades
            WHERE symbol = ? AND (ts, kafka_partition, kafka_offset) < (?, ?, ?)
            ORDER BY ts DESC, kafka_partition DESC, kafka_offset DESC LIMIT 1""";
    // The previous trade is the symbol's preceding one in (ts, partition, offset) order: a late trade
    // changes the change of the trade after it, so every trade from the batch's earliest is recomputed.
    private static final String RECOMPUTE_CHANGES = """
            UPDATE lambda.speed_trades t
            SET price_change = w.price - w.previous, pct_change = 100 * (w.price - w.previous) / w.previous
            FROM (SELECT kafka_partition, kafka_offset, ts, price,
                         lag(price) OVER (ORDER BY ts, kafka_partition, kafka_offset) AS previous
                  FROM lambda.speed_trades
                  WHERE symbol = ? AND (ts, kafka_partition, kafka_offset) >= (?, ?, ?) AND ts >= ?) w
            WHERE t.kafka_partition = w.kafka_partition AND t.kafka_offset = w.kafka_offset
              AND (w.ts, w.kafka_partition, w.kafka_offset) >= (?, ?, ?)
              AND t.symbol = ?""";
    // The combine rule of SPEC 3 as an upsert: each partial merged into the row of its bucket, if any. The
    // partials come as one array a column (symbol, bucket, then AggregateColumns.PARTIAL's order).
    private static final String MERGE_PARTIAL = "INSERT INTO lambda.%s AS m (symbol, bucket, " + AggregateColumns.sql(AggregateColumns.PARTIAL) + ")"
            + " SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::int8[], ?::float8[],"
            + " ?::timestamptz[], ?::int4[], ?::int8[], ?::timestamptz[], ?::int4[], ?::int8[]) " + """
            ON CONFLICT (symbol, bucket) DO UPDATE SET
                open = CASE WHEN (EXCLUDED.first_ts, EXCLUDED.first_partition, EXCLUDED.first_offset) < (m.first_ts, m.first_partition, m.first_offset) THEN EXCLUDED.open ELSE m.open END,
                first_ts = LEAST(m.first_ts, EXCLUDED.first_ts),
                first_partition = CASE WHEN (EXCLUDED.first_ts, EXCLUDED.first_partition, EXCLUDED.first_offset) < (m.first_ts, m.first_partition, m.first_offset) THEN EXCLUDED.first_partition ELSE m.first_partition END,
                first_offset = CASE WHEN (EXCLUDED.first_ts, EXCLUDED.first_partition, EXCLUDED.first_offset) < (m.first_ts, m.first_partition, m.first_offset) THEN EXCLUDED.first_offset ELSE m.first_offset END,
                close = CASE WHEN (EXCLUDED.last_ts, EXCLUDED.last_partition, EXCLUDED.last_offset) > (m.last_ts, m.last_partition, m.last_offset) THEN EXCLUDED.close ELSE m.close END,
                last_ts = GREATEST(m.last_ts, EXCLUDED.last_ts),
                last_partition = CASE WHEN (EXCLUDED.last_ts, EXCLUDED.last_partition, EXCLUDED.last_offset) > (m.last_ts, m.last_partition, m.last_offset) THEN EXCLUDED.last_partition ELSE m.last_partition END,
                last_offset = CASE WHEN (EXCLUDED.last_ts, EXCLUDED.last_partition, EXCLUDED.last_offset) > (m.last_ts, m.last_partition, m.last_offset) THEN EXCLUDED.last_offset ELSE m.last_offset END,
                high = GREATEST(m.high, EXCLUDED.high),
                low = LEAST(m.low, EXCLUDED.low),
                volume = m.volume + EXCLUDED.volume,
                trades = m.trades + EXCLUDED.trades,
                notional = m.notional + EXCLUDED.notional""";
    // The minutes and their rollups in one round trip. The rollups hold the minutes at or after the cutoff
    // only: those before it are late, and wait for the next batch run.
    private static final String MERGE_MINUTES_HOURS_DAYS = "WITH minutes AS (" + MERGE_PARTIAL.formatted("speed_minute") + "),"
            + " hours AS (" + MERGE_PARTIAL.formatted("speed_hourly") + ") " + MERGE_PARTIAL.formatted("speed_daily");
    private static final int MERGE_PARAMETERS = 2 + AggregateColumns.PARTIAL.size();
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;

    // The transaction's last statement, one round trip: the offsets advanced, the batch or group recorded
    // (%s, the record's parameters first), the serving layer notified (it LISTENs: a notification is sent at
    // the commit, so it always means committed rows; none for a batch without trades), and the API's symbol
    // list kept for the symbols whose minutes changed, after every write before (its row locks are the
    // transaction's last, so writers queue there only after their own work; none without minutes).
    private static final String FINISH = """
            WITH recorded AS (%s),
                advanced AS (
                    INSERT INTO lambda.speed_offsets AS o (query_name, kafka_partition, next_offset) SELECT ?, p, n FROM unnest(?::int[], ?::int8[]) AS a (p, n)
                    ON CONFLICT (query_name, kafka_partition) DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset)),
                notified AS (SELECT pg_notify('%s', payload) FROM (SELECT ?::text AS payload) p WHERE payload IS NOT NULL)
            SELECT (SELECT count(*) FROM notified), (SELECT count(*) FROM (SELECT lambda.refresh_symbol_summaries(changed) FROM (SELECT ?::text[] AS changed) c
                                                                          WHERE cardinality(changed) > 0) r)""";
    private static final String FINISH_BATCH = FINISH.formatted(STAMP_COMMIT + " RETURNING 1", SpeedCommitNotification.CHANNEL);
    private static final String FINISH_GROUP = FINISH.formatted(RECORD_GROUP + " RETURNING 1", SpeedCommitNotification.CHANNEL);

    private final PostgresConnection postgres;
    private final String queryName;
    private Connection connection;

    public SpeedSink(PostgresConnection postgres, String queryName)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.queryName = requireNonNull(queryName, "queryName is null");
    }

    /**
     * One micro-batch. Not thread safe: the query's batches come one at a time.
     *
     * @return false when every trade of the batch was written before, so nothing was
     */
    public boolean write(long batchId, List<KafkaTrade> batch)
            throws SQLException
    {
        return write(batch, batchId, true);
    }

    /**
     * One group of real-time mode, the trades of one partition: counted in the partition's row of
     * {@link SpeedQueryNames#REAL_TIME_GROUPS}, and in {@code speed_trades} under the partition as batch id.
     *
     * @return false when every trade of the group was written before, so nothing was
     */
    public boolean writeGroup(int partition, List<KafkaTrade> group)
            throws SQLException
    {
        return write(group, partition, false);
    }

    private boolean write(List<KafkaTrade> batch, long batchId, boolean microBatch)
            throws SQLException
    {
        if (batch.isEmpty()) {
            return true;
        }
        Connection connection = connection();
        try {
            Locked locked = lock(connection, batch);
            List<KafkaTrade> unwritten = batch.stream()
                    .filter(trade -> trade.offset() >= locked.nextOffsets().getOrDefault(trade.partition(), 0L))
                    .toList();
            if (unwritten.isEmpty()) {
                connection.rollback();
                return false;
            }
            BatchCoverage coverage = locked.coverage();
            List<KafkaTrade> trades = coverage.outsideCatchUp(unwritten);
            List<KafkaTrade> stored = new ArrayList<>(trades);
            stored.addAll(coverage.lastLeftToCatchUpBySymbol(unwritten));
            if (microBatch) {
                recordBatch(connection, batchId, trades.size());
            }
            Map<String, SymbolContext> contexts = contexts(connection, stored);
            Map<KafkaTrade, PriceChanges.Change> changes = PriceChanges.of(stored, symbol -> contexts.get(symbol).previousPrice());
            // A trade left to the catch-up has no known change: the trades before it were not stored.
            changes.keySet().removeIf(coverage::leftToCatchUp);
            insertTrades(connection, batchId, stored, changes);
            recomputeChanges(connection, stored, contexts);
            // A trade the published views hold (the speed layer behind the batch layer) is not late.
            List<PartialAggregate> minutes = PartialAggregate.of(coverage.unpublished(trades));
            List<PartialAggregate> current = minutes.stream().filter(minute -> minute.bucket() >= coverage.cutoffMs()).toList();
            merge(connection, minutes, PartialAggregate.rollUp(current, HOUR), PartialAggregate.rollUp(current, DAY));
            finish(connection, microBatch, batchId, trades, unwritten, minutes);
            connection.commit();
            return true;
        }
        catch (SQLException | RuntimeException e) {
            // A broken connection (PostgreSQL restarted) is replaced on the next attempt.
            closeQuietly();
            throw e;
        }
    }

    /** One connection kept across batches: opening one costs more than a small batch's writes. */
    private Connection connection()
            throws SQLException
    {
        if (connection == null || connection.isClosed()) {
            connection = postgres.open();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    /** Releases the connection kept across batches. */
    public void close()
    {
        closeQuietly();
    }

    private void closeQuietly()
    {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException e) {
                // Already broken: nothing left to release.
            }
            connection = null;
        }
    }

    /**
     * The batch's partitions' written offsets, locked until the commit, then a publish locked out and what
     * the batch layer covers read: in one round trip.
     */
    private Locked lock(Connection connection, List<KafkaTrade> batch)
            throws SQLException
    {
        Map<Integer, Long> nextOffsets = new HashMap<>();
        Object[] partitions = batch.stream().map(KafkaTrade::partition).distinct().sorted().toArray();
        try (PreparedStatement statement = connection.prepareStatement(LOCK_OFFSETS_THEN_COVERAGE)) {
            statement.setString(1, queryName);
            statement.setArray(2, connection.createArrayOf("int4", partitions));
            statement.execute();
            try (ResultSet rows = statement.getResultSet()) {
                while (rows.next()) {
                    nextOffsets.put(rows.getInt(1), rows.getLong(2));
                }
            }
            return new Locked(nextOffsets, BatchCoverage.readNext(statement));
        }
    }

    private void recordBatch(Connection connection, long batchId, int tradeCount)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(RECORD_BATCH)) {
            statement.setString(1, queryName);
            statement.setLong(2, batchId);
            statement.setInt(3, tradeCount);
            statement.executeUpdate();
        }
    }

    private void finish(Connection connection, boolean microBatch, long batchId, List<KafkaTrade> written, List<KafkaTrade> unwritten,
            List<PartialAggregate> minutes)
            throws SQLException
    {
        Map<Integer, Long> nextOffsets = unwritten.stream().collect(Collectors.toMap(KafkaTrade::partition, trade -> trade.offset() + 1, Math::max));
        try (PreparedStatement statement = connection.prepareStatement(microBatch ? FINISH_BATCH : FINISH_GROUP)) {
            int next;
            if (microBatch) {
                statement.setString(1, queryName);
                statement.setLong(2, batchId);
                next = 3;
            }
            else {
                statement.setString(1, SpeedQueryNames.REAL_TIME_GROUPS);
                statement.setLong(2, batchId);
                statement.setInt(3, written.size());
                statement.setObject(4, time(unwritten.stream().mapToLong(trade -> trade.trade().ts()).max().orElseThrow()));
                next = 5;
            }
            statement.setString(next, queryName);
            statement.setArray(next + 1, connection.createArrayOf("int4", nextOffsets.keySet().toArray()));
            statement.setArray(next + 2, connection.createArrayOf("int8", nextOffsets.values().toArray()));
            statement.setString(next + 3, written.isEmpty() ? null : SpeedCommitNotification.of(written.stream()
                    .map(trade -> new SpeedCommitNotification.Written(trade.partition(), trade.offset())).toList()).toPayload());
            statement.setArray(next + 4, connection.createArrayOf("text", minutes.stream().map(PartialAggregate::symbol).distinct().sorted().toArray()));
            statement.executeQuery().close();
        }
    }

    /**
     * For each symbol of the batch, in one round trip: the price of the stored trade just before the
     * batch's earliest, and whether stored trades come after it (the batch holds late trades).
     */
    private static Map<String, SymbolContext> contexts(Connection connection, List<KafkaTrade> trades)
            throws SQLException
    {
        List<KafkaTrade> earliest = List.copyOf(earliestBySymbol(trades).values());
        Map<String, SymbolContext> contexts = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(SYMBOL_CONTEXTS)) {
            statement.setArray(1, connection.createArrayOf("text", earliest.stream().map(trade -> trade.trade().symbol()).toArray()));
            statement.setArray(2, connection.createArrayOf("timestamptz", earliest.stream().map(trade -> time(trade.trade().ts())).toArray()));
            statement.setArray(3, connection.createArrayOf("int4", earliest.stream().map(KafkaTrade::partition).toArray()));
            statement.setArray(4, connection.createArrayOf("int8", earliest.stream().map(KafkaTrade::offset).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String symbol = rows.getString(1);
                    double previous = rows.getDouble(2);
                    OptionalDouble previousPrice = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(previous);
                    contexts.put(symbol, new SymbolContext(previousPrice, rows.getBoolean(3)));
                }
            }
        }
        return contexts;
    }

    private static Map<String, KafkaTrade> earliestBySymbol(List<KafkaTrade> trades)
    {
        return trades.stream().collect(Collectors.toMap(
                trade -> trade.trade().symbol(), Function.identity(), (a, b) -> KafkaTrade.TRADE_ORDER.compare(a, b) <= 0 ? a : b));
    }

    /** One binary COPY: far cheaper than a statement per trade, and than printing numbers for the server to parse. */
    private static void insertTrades(Connection connection, long batchId, List<KafkaTrade> trades, Map<KafkaTrade, PriceChanges.Change> changes)
            throws SQLException
    {
        BinaryCopyRows rows = new BinaryCopyRows(trades.size() * 200);
        for (KafkaTrade kafkaTrade : trades) {
            Trade trade = kafkaTrade.trade();
            rows.row(TRADE_COLUMN_COUNT)
                    .integer(kafkaTrade.partition())
                    .bigint(kafkaTrade.offset())
                    .text(trade.symbol())
                    .text(trade.exchange())
                    .text(trade.instrument())
                    .float8(trade.price())
                    .float8(trade.volume())
                    .timestamp(trade.ts())
                    .textArray(trade.conditions())
                    .text(trade.source())
                    .timestamp(trade.ingestTs())
                    .bigint(batchId);
            PriceChanges.Change change = changes.get(kafkaTrade);
            if (change != null) {
                rows.float8(change.priceChange()).float8(change.pctChange());
            }
            else {
                rows.nullValue().nullValue();
            }
        }
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_TRADES, rows.finish());
        }
        catch (IOException e) {
            throw new SQLException("cannot COPY the batch's trades: " + e.getMessage(), e);
        }
    }

    /** Where the batch has late trades, stored trades after them change too: recomputed in the database. */
    private static void recomputeChanges(Connection connection, List<KafkaTrade> trades, Map<String, SymbolContext> contexts)
            throws SQLException
    {
        try (PreparedStatement previous = connection.prepareStatement(PREVIOUS_KEY);
                PreparedStatement recompute = connection.prepareStatement(RECOMPUTE_CHANGES)) {
            for (KafkaTrade earliest : earliestBySymbol(trades).values()) {
                if (!contexts.get(earliest.trade().symbol()).lateTrades()) {
                    continue;
                }
                Key from = previousKey(previous, earliest).orElse(Key.of(earliest));
                recompute.setString(1, earliest.trade().symbol());
                from.bind(recompute, 2);
                recompute.setObject(5, from.ts());
                Key.of(earliest).bind(recompute, 6);
                recompute.setString(9, earliest.trade().symbol());
                recompute.addBatch();
            }
            recompute.executeBatch();
        }
    }

    private static Optional<Key> previousKey(PreparedStatement statement, KafkaTrade earliest)
            throws SQLException
    {
        statement.setString(1, earliest.trade().symbol());
        Key.of(earliest).bind(statement, 2);
        try (ResultSet row = statement.executeQuery()) {
            return row.next() ? Optional.of(new Key(row.getObject(1, OffsetDateTime.class), row.getInt(2), row.getLong(3))) : Optional.empty();
        }
    }

    private static void merge(Connection connection, List<PartialAggregate> minutes, List<PartialAggregate> hours, List<PartialAggregate> days)
            throws SQLException
    {
        if (minutes.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(MERGE_MINUTES_HOURS_DAYS)) {
            bindPartials(connection, statement, 1, minutes);
            bindPartials(connection, statement, 1 + MERGE_PARAMETERS, hours);
            bindPartials(connection, statement, 1 + 2 * MERGE_PARAMETERS, days);
            statement.executeUpdate();
        }
    }

    /** One array a column, from {@code firstIndex}: symbol, bucket, then {@link AggregateColumns#PARTIAL}'s order. */
    private static void bindPartials(Connection connection, PreparedStatement statement, int firstIndex, List<PartialAggregate> partials)
            throws SQLException
    {
        List<Function<PartialAggregate, Object>> columns = List.of(
                PartialAggregate::symbol, aggregate -> time(aggregate.bucket()),
                PartialAggregate::open, PartialAggregate::high, PartialAggregate::low, PartialAggregate::close, PartialAggregate::volume,
                PartialAggregate::trades, PartialAggregate::notional,
                aggregate -> time(aggregate.first().trade().ts()), aggregate -> aggregate.first().partition(), aggregate -> aggregate.first().offset(),
                aggregate -> time(aggregate.last().trade().ts()), aggregate -> aggregate.last().partition(), aggregate -> aggregate.last().offset());
        List<String> types = List.of("text", "timestamptz", "float8", "float8", "float8", "float8", "float8", "int8", "float8",
                "timestamptz", "int4", "int8", "timestamptz", "int4", "int8");
        for (int column = 0; column < columns.size(); column++) {
            statement.setArray(firstIndex + column, connection.createArrayOf(types.get(column), partials.stream().map(columns.get(column)).toArray()));
        }
    }

    static OffsetDateTime time(long epochMillis)
    {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    /**
     * @param previousPrice the stored trade's just before the batch's earliest of the symbol
     * @param lateTrades whether stored trades of the symbol come after the batch's earliest
     */
    private record SymbolContext(OptionalDouble previousPrice, boolean lateTrades) {}

    /** What the transaction locked and read first: each partition's written offset, and the batch layer's coverage. */
    private record Locked(Map<Integer, Long> nextOffsets, BatchCoverage coverage) {}

    /** A trade's (ts, partition, offset) as PostgreSQL compares it. */
    private record Key(OffsetDateTime ts, int partition, long offset)
    {
        static Key of(KafkaTrade trade)
        {
            return new Key(time(trade.trade().ts()), trade.partition(), trade.offset());
        }

        void bind(PreparedStatement statement, int firstIndex)
                throws SQLException
        {
            statement.setObject(firstIndex, ts);
            statement.setInt(firstIndex + 1, partition);
            statement.setLong(firstIndex + 2, offset);
        }
    }
}
