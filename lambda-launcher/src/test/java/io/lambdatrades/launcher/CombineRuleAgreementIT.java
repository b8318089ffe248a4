package io.lambdatrades.launcher;

import io.lambdatrades.batch.BatchViews;
import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestSql;
import io.lambdatrades.speed.KafkaTrade;
import io.lambdatrades.speed.MinuteAggregate;
import io.lambdatrades.speed.SparkSessions;
import io.lambdatrades.speed.SpeedSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The combine rule of SPEC 3 (open and close by the first and last trade's key, extremes, sums) is
 * written four times: {@link MinuteAggregate#merge} (the speed layer, in Java), {@link SpeedSink}'s
 * minute upsert (the speed layer, in SQL), {@link BatchViews}' minute and roll-up (the batch layer, in
 * Spark) and the view {@code serving_buckets} (PostgreSQL). This feeds the same random trades, cut
 * into the same random partial aggregates (late trades, same-millisecond trades, equal prices, a
 * cutoff inside an hour and a day), through each copy as the product runs it, and requires every
 * copy to equal the aggregates computed straight from the trades, so all four agree. The launcher's
 * tests are the ones that see every layer.
 */
class CombineRuleAgreementIT
{
    private static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:BTCUSDT");
    private static final long START = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final Map<String, Long> SERVING_VIEWS = Map.of("serving_minute", MINUTE, "serving_hourly", HOUR, "serving_daily", DAY);
    private static final List<String> BATCH_COLUMNS = Stream.concat(Stream.of("symbol", "exchange", "instrument", "bucket", "vwap"), AggregateColumns.PARTIAL.stream())
            .toList();
    private static final StructType TRADES = new StructType()
            .add("symbol", DataTypes.StringType, false)
            .add("price", DataTypes.DoubleType, false)
            .add("volume", DataTypes.DoubleType, false)
            .add("ts", DataTypes.LongType, false)
            .add("kafka_partition", DataTypes.IntegerType, false)
            .add("kafka_offset", DataTypes.LongType, false);

    // jqwik has no parameter injection: the container's servers are kept here between its tries.
    private static EmbeddedPostgresServer server;
    private static PostgresConnection database;
    private static SparkSession spark;

    @BeforeContainer
    static void start()
            throws Exception
    {
        server = EmbeddedPostgresServer.start(Files.createTempDirectory("combine-rule"), SharedPostgres.binariesDir(), 0);
        database = TestDatabases.fresh(server, "combine_rule");
        spark = SparkSessions.create("combine-rule", SparkConfig.local(2));
        // As the batch layer's sessions: its hours and days are UTC, as the serving views'.
        spark.conf().set("spark.sql.session.timeZone", "UTC");
    }

    @AfterContainer
    static void stop()
    {
        spark.stop();
        server.close();
    }

    /** Trades in Kafka order, cut into groups (the speed layer's commits), and a minute-aligned cutoff. */
    record Scenario(List<SentTrade> trades, List<List<SentTrade>> groups, long cutoff, long shuffleSeed) {}

    @Property(tries = 40)
    void everyCopyOfTheCombineRuleEqualsTheTrades(@ForAll("scenarios") Scenario scenario)
            throws Exception
    {
        Map<Long, Map<String, Aggregate>> expected = new TreeMap<>();
        for (long bucket : List.of(MINUTE, HOUR, DAY)) {
            expected.put(bucket, ExpectedAggregates.of(scenario.trades(), bucket, Long.MAX_VALUE));
        }

        ExpectedAggregates.assertSame(expected.get(MINUTE), mergedInJava(scenario));

        TestSql.execute(database, "TRUNCATE lambda.speed_trades, lambda.speed_minute, lambda.speed_offsets, lambda.speed_batches,"
                + " lambda.batch_minute, lambda.batch_hourly, lambda.batch_daily");
        TestSql.execute(database, "UPDATE lambda.cutoff SET cutoff_ts = 'epoch'");
        mergeInSpeedSink(scenario);
        try (Connection connection = database.open()) {
            ExpectedAggregates.assertSame(expected.get(MINUTE), ExpectedAggregates.read(connection,
                    "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.speed_minute"));
        }

        Dataset<Row> minute = BatchViews.minute(trades(scenario.trades()), Instant.ofEpochMilli(Long.MAX_VALUE));
        ExpectedAggregates.assertSame(expected.get(MINUTE), aggregates(minute));
        ExpectedAggregates.assertSame(expected.get(HOUR), aggregates(BatchViews.hourly(minute)));
        ExpectedAggregates.assertSame(expected.get(DAY), aggregates(BatchViews.daily(minute)));

        // The batch side before the cutoff, the speed side (every trade in speed_minute) at or after it.
        publishBatchBefore(scenario);
        try (Connection connection = database.open()) {
            for (Map.Entry<String, Long> view : SERVING_VIEWS.entrySet()) {
                ExpectedAggregates.assertSame(expected.get(view.getValue()), ExpectedAggregates.read(connection,
                        "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda." + view.getKey()));
            }
        }
    }

    /** Each group's minutes, merged into the others' in a random order: the rule must not care which. */
    private static Map<String, Aggregate> mergedInJava(Scenario scenario)
    {
        List<MinuteAggregate> partials = new ArrayList<>();
        for (List<SentTrade> group : scenario.groups()) {
            partials.addAll(MinuteAggregate.of(group.stream().map(CombineRuleAgreementIT::kafkaTrade).toList()));
        }
        Collections.shuffle(partials, new Random(scenario.shuffleSeed()));
        Map<String, MinuteAggregate> merged = new TreeMap<>();
        partials.forEach(partial -> merged.merge(partial.symbol() + "@" + partial.bucket(), partial, MinuteAggregate::merge));
        Map<String, Aggregate> aggregates = new TreeMap<>();
        merged.forEach((key, aggregate) -> aggregates.put(key, Aggregate.of(aggregate.open(), aggregate.high(), aggregate.low(), aggregate.close(),
                aggregate.volume(), aggregate.trades(), aggregate.notional())));
        return aggregates;
    }

    /** One commit a group, in Kafka order, as the micro-batch query writes them. */
    private static void mergeInSpeedSink(Scenario scenario)
            throws SQLException
    {
        SpeedSink sink = new SpeedSink(database, SpeedQueryNames.QUERY);
        try {
            long batchId = 0;
            for (List<SentTrade> group : scenario.groups()) {
                sink.write(batchId++, group.stream().map(CombineRuleAgreementIT::kafkaTrade).toList());
            }
        }
        finally {
            sink.close();
        }
    }

    /** The batch views of the trades before the cutoff in the batch tables, and the cutoff moved, as a publish leaves them. */
    private static void publishBatchBefore(Scenario scenario)
            throws SQLException
    {
        Dataset<Row> minute = BatchViews.minute(trades(scenario.trades()), Instant.ofEpochMilli(scenario.cutoff()));
        try (Connection connection = database.open()) {
            insert(connection, "batch_minute", minute);
            insert(connection, "batch_hourly", BatchViews.hourly(minute));
            insert(connection, "batch_daily", BatchViews.daily(minute));
            try (PreparedStatement statement = connection.prepareStatement("UPDATE lambda.cutoff SET cutoff_ts = ?")) {
                statement.setObject(1, utc(scenario.cutoff()));
                statement.executeUpdate();
            }
        }
    }

    private static void insert(Connection connection, String table, Dataset<Row> view)
            throws SQLException
    {
        List<String> columns = new ArrayList<>(BATCH_COLUMNS);
        if (List.of(view.columns()).contains("date")) {
            columns.add("date");
        }
        String sql = "INSERT INTO lambda." + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Row row : view.collectAsList()) {
                for (int i = 0; i < columns.size(); i++) {
                    statement.setObject(i + 1, jdbcValue(row.getAs(columns.get(i))));
                }
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static Object jdbcValue(Object spark)
    {
        if (spark instanceof Timestamp || spark instanceof Instant) {
            return utc(millis(spark));
        }
        return spark instanceof java.sql.Date date ? date.toLocalDate() : spark;
    }

    private static Map<String, Aggregate> aggregates(Dataset<Row> view)
    {
        Map<String, Aggregate> aggregates = new TreeMap<>();
        for (Row row : view.collectAsList()) {
            aggregates.put(row.getAs("symbol") + "@" + millis(row.getAs("bucket")), Aggregate.of(row.getAs("open"), row.getAs("high"), row.getAs("low"),
                    row.getAs("close"), row.getAs("volume"), row.<Long>getAs("trades"), row.getAs("notional")));
        }
        return aggregates;
    }

    private static Dataset<Row> trades(List<SentTrade> trades)
    {
        List<Row> rows = trades.stream()
                .map(sent -> RowFactory.create(sent.trade().symbol(), sent.trade().price(), sent.trade().volume(), sent.trade().ts(), sent.partition(), sent.offset()))
                .toList();
        return spark.createDataFrame(rows, TRADES);
    }

    private static KafkaTrade kafkaTrade(SentTrade sent)
    {
        return new KafkaTrade(sent.trade(), sent.partition(), sent.offset());
    }

    private static long millis(Object timestamp)
    {
        return timestamp instanceof Instant instant ? instant.toEpochMilli() : ((Timestamp) timestamp).getTime();
    }

    private static OffsetDateTime utc(long millis)
    {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    @Provide
    Arbitrary<Scenario> scenarios()
    {
        // Few distinct times, so that trades share a millisecond and a minute's first and last trades
        // are decided by partition and offset; prices in quarters and whole volumes keep sums exact.
        Arbitrary<Trade> trade = Combinators.combine(
                Arbitraries.integers().between(0, SYMBOLS.size() - 1),
                Arbitraries.integers().between(0, 1),
                Arbitraries.of(0, 1, 23),
                Arbitraries.of(0, 1, 59),
                Arbitraries.of(0L, 1L, 30_000L, 59_999L),
                Arbitraries.integers().between(1, 40),
                Arbitraries.integers().between(0, 20)).as((symbol, day, hour, minute, millis, quarters, volume) ->
                new Trade(SYMBOLS.get(symbol), quarters * 0.25, volume, START + day * DAY + hour * HOUR + minute * MINUTE + millis, List.of(), "test", 0));
        // A cutoff before, inside and after the trades' minutes, hours and days.
        Arbitrary<Long> cutoff = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(0, 1, 23), Arbitraries.of(0, 1, 2, 30, 59))
                .as((day, hour, minute) -> START + day * DAY + hour * HOUR + minute * MINUTE);
        return Combinators.combine(
                trade.list().ofMinSize(1).ofMaxSize(120),
                Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(120),
                Arbitraries.integers().between(1, 30).list().ofMinSize(1).ofMaxSize(8),
                cutoff,
                Arbitraries.longs()).as((trades, partitions, chunks, cutoffMillis, shuffleSeed) -> {
                    List<SentTrade> sent = inKafka(trades, partitions);
                    return new Scenario(sent, groups(sent, chunks), cutoffMillis, shuffleSeed);
                });
    }

    /** Offsets per partition in arrival order, as Kafka gives them. */
    private static List<SentTrade> inKafka(List<Trade> trades, List<Integer> partitions)
    {
        Map<Integer, Long> next = new HashMap<>();
        List<SentTrade> sent = new ArrayList<>();
        for (int i = 0; i < trades.size(); i++) {
            int partition = partitions.get(i % partitions.size());
            long offset = next.merge(partition, 1L, Long::sum) - 1;
            sent.add(new SentTrade(trades.get(i), partition, offset));
        }
        return sent;
    }

    private static List<List<SentTrade>> groups(List<SentTrade> trades, List<Integer> sizes)
    {
        List<List<SentTrade>> groups = new ArrayList<>();
        int position = 0;
        for (int i = 0; position < trades.size(); i++) {
            int end = Math.min(trades.size(), position + sizes.get(i % sizes.size()));
            groups.add(trades.subList(position, end));
            position = end;
        }
        return groups;
    }
}
