package io.lambdatrades.launcher;

import io.lambdatrades.batch.BatchViews;
import io.lambdatrades.batch.ViewPublisher;
import io.lambdatrades.batch.ViewRows;
import io.lambdatrades.batch.ViewStore;
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
import io.lambdatrades.speed.PartialAggregate;
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
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.apache.spark.sql.functions.col;

/**
 * The combine rule of SPEC 3 (open and close by the first and last trade's key, extremes, sums) is
 * written in several places: {@link PartialAggregate#merge} and roll-up (the speed layer, in Java),
 * {@link SpeedSink}'s upsert into {@code speed_minute}, {@code speed_hourly} and {@code speed_daily}
 * (in SQL), {@link BatchViews}' minute and roll-up (the batch layer, in Spark), the publish's late
 * minutes and rollup rebuild ({@link ViewPublisher}) and the view {@code serving_buckets}
 * (PostgreSQL). This feeds the same random trades, cut into the same random commits (late trades,
 * same-millisecond trades, equal prices, a cutoff inside an hour and a day, a publish between
 * commits), through each as the product runs it, and requires every table and view to equal the
 * aggregates computed straight from the trades, so all agree. The launcher's tests are the ones that
 * see every layer.
 */
class CombineRuleAgreementIT
{
    private static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:BTCUSDT");
    private static final long START = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;
    private static final Map<String, Long> SERVING_VIEWS = Map.of("serving_minute", MINUTE, "serving_hourly", HOUR, "serving_daily", DAY);
    private static final String FIGURES = AggregateColumns.sql(AggregateColumns.FIGURES);
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

    /**
     * Trades in Kafka order, cut into groups (the speed layer's commits), a minute-aligned cutoff that a
     * publish moves to after the first {@code groupsBeforePublish} commits, and per partition the first
     * offset the batch layer has not absorbed: trades before the cutoff from there on are late.
     */
    record Scenario(List<SentTrade> trades, List<List<SentTrade>> groups, long cutoff, int groupsBeforePublish, Map<Integer, Long> absorbedUntil,
            long shuffleSeed)
    {
        boolean absorbed(SentTrade sent)
        {
            return sent.offset() < absorbedUntil.getOrDefault(sent.partition(), 0L);
        }

        List<SentTrade> trades(Predicate<SentTrade> filter)
        {
            return trades.stream().filter(filter).toList();
        }
    }

    @Property(tries = 40)
    void everyCopyOfTheCombineRuleEqualsTheTrades(@ForAll("scenarios") Scenario scenario)
            throws Exception
    {
        ExpectedAggregates.assertSame(ExpectedAggregates.of(scenario.trades(), MINUTE, Long.MAX_VALUE), mergedInJava(scenario));

        Dataset<Row> minute = BatchViews.minute(trades(scenario.trades()), Instant.ofEpochMilli(Long.MAX_VALUE));
        ExpectedAggregates.assertSame(ExpectedAggregates.of(scenario.trades(), MINUTE, Long.MAX_VALUE), aggregates(minute));
        ExpectedAggregates.assertSame(ExpectedAggregates.of(scenario.trades(), HOUR, Long.MAX_VALUE), aggregates(BatchViews.hourly(minute)));
        ExpectedAggregates.assertSame(ExpectedAggregates.of(scenario.trades(), DAY, Long.MAX_VALUE), aggregates(BatchViews.daily(minute)));

        // The speed layer commits, a publish moves the cutoff (its batch side: the absorbed trades before
        // it), the speed layer commits the rest: every table must then hold what the trades give.
        TestSql.execute(database, "TRUNCATE lambda.speed_trades, lambda.speed_minute, lambda.speed_hourly, lambda.speed_daily, lambda.speed_offsets,"
                + " lambda.speed_batches, lambda.batch_minute, lambda.batch_hourly, lambda.batch_daily, lambda.batch_exchange_daily,"
                + " lambda.published_offsets, lambda.absorb_runs CASCADE");
        TestSql.execute(database, "UPDATE lambda.cutoff SET cutoff_ts = 'epoch'");
        commitInSpeedSink(scenario.groups().subList(0, scenario.groupsBeforePublish()), 0);
        publish(scenario);
        commitInSpeedSink(scenario.groups().subList(scenario.groupsBeforePublish(), scenario.groups().size()), scenario.groupsBeforePublish());

        long cutoff = scenario.cutoff();
        List<SentTrade> current = scenario.trades(sent -> sent.trade().ts() >= cutoff);
        try (Connection connection = database.open()) {
            // speed_minute: the current trades and the late ones, rebuilt by the publish or merged after it.
            ExpectedAggregates.assertSame(ExpectedAggregates.of(scenario.trades(sent -> sent.trade().ts() >= cutoff || !scenario.absorbed(sent)), MINUTE, Long.MAX_VALUE),
                    ExpectedAggregates.read(connection, "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, " + FIGURES + " FROM lambda.speed_minute"));
            // The maintained rollups: the current trades only, a bucket the cutoff cuts in two included from the cutoff on.
            ExpectedAggregates.assertSame(ExpectedAggregates.of(current, HOUR, Long.MAX_VALUE),
                    ExpectedAggregates.read(connection, "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, " + FIGURES + " FROM lambda.speed_hourly"));
            ExpectedAggregates.assertSame(ExpectedAggregates.of(current, DAY, Long.MAX_VALUE),
                    ExpectedAggregates.read(connection, "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, " + FIGURES + " FROM lambda.speed_daily"));
            // The merged views: the batch side before the cutoff, the speed side at or after it.
            List<SentTrade> served = scenario.trades(sent -> sent.trade().ts() >= cutoff || scenario.absorbed(sent));
            for (Map.Entry<String, Long> view : SERVING_VIEWS.entrySet()) {
                ExpectedAggregates.assertSame(ExpectedAggregates.of(served, view.getValue(), Long.MAX_VALUE), ExpectedAggregates.read(connection,
                        "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, " + FIGURES + " FROM lambda." + view.getKey()));
            }
        }
    }

    /** Each group's minutes, merged into the others' in a random order: the rule must not care which. */
    private static Map<String, Aggregate> mergedInJava(Scenario scenario)
    {
        List<PartialAggregate> partials = new ArrayList<>();
        for (List<SentTrade> group : scenario.groups()) {
            partials.addAll(PartialAggregate.of(group.stream().map(CombineRuleAgreementIT::kafkaTrade).toList()));
        }
        Collections.shuffle(partials, new Random(scenario.shuffleSeed()));
        Map<String, PartialAggregate> merged = new TreeMap<>();
        partials.forEach(partial -> merged.merge(partial.symbol() + "@" + partial.bucket(), partial, PartialAggregate::merge));
        Map<String, Aggregate> aggregates = new TreeMap<>();
        merged.forEach((key, aggregate) -> aggregates.put(key, Aggregate.of(aggregate.open(), aggregate.high(), aggregate.low(), aggregate.close(),
                aggregate.volume(), aggregate.trades(), aggregate.notional())));
        return aggregates;
    }

    /** One commit a group, in Kafka order, as the micro-batch query writes them. */
    private static void commitInSpeedSink(List<List<SentTrade>> groups, long firstBatchId)
            throws SQLException
    {
        SpeedSink sink = new SpeedSink(database, SpeedQueryNames.QUERY);
        try {
            long batchId = firstBatchId;
            for (List<SentTrade> group : groups) {
                sink.write(batchId++, group.stream().map(CombineRuleAgreementIT::kafkaTrade).toList());
            }
        }
        finally {
            sink.close();
        }
    }

    /**
     * The production publish: the batch views of the absorbed trades before the cutoff (computed by
     * {@link BatchViews}, served as the view store serves them, without the Parquet files) replace every
     * date, and the absorb ledger says how far the absorbs reached.
     */
    private static void publish(Scenario scenario)
            throws Exception
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO lambda.absorb_runs (absorb_id, topic, staging_dir, trades) VALUES (1, 'trades', 'test', 0)");
            for (Map.Entry<Integer, Long> partition : scenario.absorbedUntil().entrySet()) {
                statement.execute("INSERT INTO lambda.absorb_offsets (topic, kafka_partition, next_offset, absorb_id) VALUES ('trades', %d, %d, 1)"
                        .formatted(partition.getKey(), partition.getValue()));
            }
        }
        Dataset<Row> minute = BatchViews.minute(trades(scenario.trades(scenario::absorbed)), Instant.ofEpochMilli(scenario.cutoff()));
        Dataset<Row> daily = BatchViews.daily(minute);
        Map<ViewStore.View, Dataset<Row>> views = Map.of(ViewStore.View.MINUTE, minute, ViewStore.View.HOURLY, BatchViews.hourly(minute),
                ViewStore.View.DAILY, daily, ViewStore.View.EXCHANGE_DAILY, BatchViews.exchangeDaily(daily));
        ViewRows rows = (view, dates, columns) -> views.get(view).filter(col("trade_date").isin(dates.toArray()))
                .select(columns.stream().map(functions::col).toArray(Column[]::new)).collectAsList().iterator();
        Set<String> dates = scenario.trades().stream().map(sent -> LocalDate.ofInstant(Instant.ofEpochMilli(sent.trade().ts()), ZoneOffset.UTC).toString())
                .collect(Collectors.toSet());
        new ViewPublisher(database, "trades", () -> rows).publish(dates, Instant.ofEpochMilli(scenario.cutoff()), Duration.ofMinutes(1));
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
        // The publish after any number of commits; the absorbs anywhere from no trade of a partition to all of them.
        return Combinators.combine(
                trade.list().ofMinSize(1).ofMaxSize(120),
                Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(120),
                Arbitraries.integers().between(1, 30).list().ofMinSize(1).ofMaxSize(8),
                cutoff,
                Arbitraries.doubles().between(0, 1),
                Arbitraries.longs().between(0, 120).list().ofSize(3),
                Arbitraries.longs()).as((trades, partitions, chunks, cutoffMillis, publishAt, absorbed, shuffleSeed) -> {
                    List<SentTrade> sent = inKafka(trades, partitions);
                    List<List<SentTrade>> groups = groups(sent, chunks);
                    Map<Integer, Long> absorbedUntil = new HashMap<>();
                    for (int partition = 0; partition < absorbed.size(); partition++) {
                        absorbedUntil.put(partition, absorbed.get(partition));
                    }
                    return new Scenario(sent, groups, cutoffMillis, (int) Math.round(publishAt * groups.size()), absorbedUntil, shuffleSeed);
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
