package io.lambdatrades.serving;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.speed.KafkaTrade;
import io.lambdatrades.speed.SpeedSink;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.awaitility.Awaitility;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merge rule, for random trades and any cutoff: the serving views, read through the real tables in
 * PostgreSQL, equal the aggregates computed straight from the trades. Trades arrive out of order, many
 * in the same millisecond, FX with volume 0; some arrive after the publish for a closed period (late)
 * and count once the next publish has them.
 */
class ServingViewsIT
{
    private static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD");
    private static final long START = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();
    private static final long SLOT = 72 * 60_000L;
    private static final long[] PERIODS = {15 * 60_000L, 3_600_000L, 86_400_000L};
    // jqwik has no parameter injection: the container's server is kept here between its tries.
    private static EmbeddedPostgresServer server;
    private static PostgresConnection database;

    @BeforeContainer
    static void startPostgres()
            throws Exception
    {
        server = EmbeddedPostgresServer.start(Files.createTempDirectory("serving-views"), SharedPostgres.binariesDir(), 0);
        database = TestDatabases.fresh(server, "serving_views");
    }

    @AfterContainer
    static void stopPostgres()
    {
        server.close();
    }

    record Scenario(List<SentTrade> trades, long cutoff, int publishAfter, List<Integer> chunks) {}

    @Property(tries = 60)
    void mergedViewsEqualTheTradesBeforeAndAfterLateTradesAreAbsorbed(@ForAll("scenarios") Scenario scenario)
            throws Exception
    {
        reset();
        ServingData data = new ServingData(database);
        List<SentTrade> trades = scenario.trades();
        List<SentTrade> first = trades.subList(0, scenario.publishAfter());
        List<SentTrade> rest = trades.subList(scenario.publishAfter(), trades.size());
        writeInChunks(data, first, scenario.chunks());
        data.publish(first, Instant.ofEpochMilli(scenario.cutoff()));
        writeInChunks(data, rest, scenario.chunks());

        // Late trades (after the publish, before the cutoff) wait for the next batch run.
        List<SentTrade> visible = Stream.concat(
                first.stream().filter(sent -> sent.trade().ts() < scenario.cutoff()),
                trades.stream().filter(sent -> sent.trade().ts() >= scenario.cutoff())).toList();
        assertViews(visible, scenario.cutoff());

        data.publish(trades, Instant.ofEpochMilli(scenario.cutoff()));
        assertViews(trades, scenario.cutoff());
    }

    /**
     * Real-time mode's writers, one per partition, commit one symbol's trades of different days at
     * once (no rollup row in common to queue on): the later commit's kept summary must include the
     * earlier commit's trade, here the previous day's close. The first writer is held before its commit
     * by a lock on its partition's row of speed_batches, the last row its transaction writes.
     */
    @Example
    void aSummaryRefreshedBesideAnotherWriterOfItsSymbolIncludesThatWritersTrades()
            throws Exception
    {
        reset();
        String symbol = SYMBOLS.get(0);
        List<SentTrade> trades = List.of(
                new SentTrade(trade(symbol, 10.0, START), 0, 0),
                new SentTrade(trade(symbol, 50.0, START + 86_400_000L + 3_600_000L), 0, 1),
                new SentTrade(trade(symbol, 70.0, START + 2 * 86_400_000L + 3_600_000L), 1, 0));
        SpeedSink first = new SpeedSink(database, "speed");
        SpeedSink second = new SpeedSink(database, "speed");
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try (Connection holder = database.open()) {
            first.writeGroup(0, List.of(kafkaTrade(trades.get(0))));
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.executeQuery("SELECT 1 FROM lambda.speed_batches WHERE query_name = '" + SpeedQueryNames.REAL_TIME_GROUPS + "' AND batch_id = 0 FOR UPDATE").close();
            }
            Future<Boolean> held = writers.submit(() -> first.writeGroup(0, List.of(kafkaTrade(trades.get(1)))));
            awaitLockWaits(1);
            Future<Boolean> beside = writers.submit(() -> second.writeGroup(1, List.of(kafkaTrade(trades.get(2)))));
            awaitLockWaits(2);
            holder.commit();
            held.get(1, TimeUnit.MINUTES);
            beside.get(1, TimeUnit.MINUTES);
        }
        finally {
            writers.shutdownNow();
            first.close();
            second.close();
        }
        assertViews(trades, 0);
    }

    private static Trade trade(String symbol, double price, long ts)
    {
        return new Trade(symbol, price, 1.0, ts, List.of(), "simulate", ts);
    }

    private static KafkaTrade kafkaTrade(SentTrade sent)
    {
        return new KafkaTrade(sent.trade(), sent.partition(), sent.offset());
    }

    private static void awaitLockWaits(int sessions)
    {
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> {
            try (Connection connection = database.open(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
                rows.next();
                return rows.getInt(1) >= sessions;
            }
        });
    }

    @Provide
    Arbitrary<Scenario> scenarios()
    {
        Arbitrary<Trade> trade = Combinators.combine(
                Arbitraries.integers().between(0, SYMBOLS.size() - 1),
                Arbitraries.integers().between(0, 59),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 100_000),
                Arbitraries.integers().between(0, 10_000)).as((symbol, slot, jitter, cents, lots) -> {
                    String name = SYMBOLS.get(symbol);
                    long ts = START + slot * SLOT + jitter;
                    return new Trade(name, cents / 100.0, name.startsWith("OANDA") ? 0 : lots / 100.0, ts, List.of(), "simulate", ts);
                });
        Arbitrary<List<Trade>> trades = trade.list().ofMinSize(1).ofMaxSize(150);
        return trades.flatMap(list -> Combinators.combine(
                Arbitraries.integers().between(0, PERIODS.length - 1),
                Arbitraries.integers().between(0, 72 * 4),
                Arbitraries.integers().between(0, list.size()),
                Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(10),
                Arbitraries.integers().between(0, 2).list().ofSize(list.size())).as((period, step, publishAfter, chunks, partitions) -> {
                    long periodMillis = PERIODS[period];
                    long cutoff = START + Math.min(step * 15 * 60_000L / periodMillis * periodMillis, 3 * 86_400_000L);
                    cutoff = START + Math.floorDiv(cutoff - START, periodMillis) * periodMillis;
                    return new Scenario(inKafka(list, partitions), cutoff, publishAfter, chunks);
                }));
    }

    /** Offsets per partition in arrival order, as Kafka gives them. */
    private static List<SentTrade> inKafka(List<Trade> trades, List<Integer> partitions)
    {
        Map<Integer, Long> next = new HashMap<>();
        List<SentTrade> sent = new ArrayList<>();
        for (int i = 0; i < trades.size(); i++) {
            int partition = partitions.get(i);
            long offset = next.merge(partition, 1L, Long::sum) - 1;
            sent.add(new SentTrade(trades.get(i), partition, offset));
        }
        return sent;
    }

    private static void writeInChunks(ServingData data, List<SentTrade> trades, List<Integer> chunks)
            throws SQLException
    {
        int position = 0;
        for (int i = 0; position < trades.size(); i++) {
            int size = chunks.get(i % chunks.size());
            data.speed(trades.subList(position, Math.min(trades.size(), position + size)));
            position += size;
        }
    }

    static void assertViews(List<SentTrade> expected, long cutoff)
            throws SQLException
    {
        try (Connection connection = database.open()) {
            for (Map.Entry<String, Long> view : Map.of("serving_minute", 60_000L, "serving_hourly", 3_600_000L, "serving_daily", 86_400_000L).entrySet()) {
                ExpectedAggregates.assertSame(ExpectedAggregates.of(expected, view.getValue(), Long.MAX_VALUE), ExpectedAggregates.read(connection,
                        "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda." + view.getKey()));
                assertSourcesAndVwap(connection, view.getKey(), view.getValue(), cutoff);
            }
            assertLatest(connection, expected, "serving_latest");
            assertLatest(connection, expected, "symbol_summaries");
            assertHourlyCloses(connection, expected);
        }
    }

    /** Each symbol's last price, its previous day's close and its day, straight from the trades. */
    private static void assertLatest(Connection connection, List<SentTrade> expected, String relation)
            throws SQLException
    {
        Map<String, List<SentTrade>> bySymbol = new java.util.TreeMap<>();
        expected.stream().sorted(SentTrade.ORDER).forEach(sent -> bySymbol.computeIfAbsent(sent.trade().symbol(), symbol -> new ArrayList<>()).add(sent));
        Map<String, double[]> actual = new java.util.TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT symbol, price, previous_close, day_volume, day_trades, (extract(epoch FROM last_trade_ts) * 1000)::bigint, day_open, day_high, day_low"
                        + " FROM lambda." + relation)) {
            while (rows.next()) {
                double previous = rows.getDouble(3);
                boolean noPreviousDay = rows.wasNull();
                actual.put(rows.getString(1), new double[] {rows.getDouble(2), noPreviousDay ? Double.NaN : previous, rows.getDouble(4), rows.getLong(5), rows.getLong(6),
                        rows.getDouble(7), rows.getDouble(8), rows.getDouble(9)});
            }
        }
        assertThat(actual.keySet()).as(relation).isEqualTo(bySymbol.keySet());
        bySymbol.forEach((symbol, trades) -> {
            SentTrade last = trades.get(trades.size() - 1);
            long day = Math.floorDiv(last.trade().ts(), 86_400_000L);
            List<SentTrade> earlier = trades.stream().filter(sent -> Math.floorDiv(sent.trade().ts(), 86_400_000L) < day).toList();
            List<SentTrade> sameDay = trades.stream().filter(sent -> Math.floorDiv(sent.trade().ts(), 86_400_000L) == day).toList();
            double[] row = actual.get(symbol);
            assertThat(row[0]).as(symbol + " price").isEqualTo(last.trade().price());
            assertThat((Double) row[1]).as(symbol + " previous close").isEqualTo(earlier.isEmpty() ? Double.valueOf(Double.NaN) : Double.valueOf(earlier.get(earlier.size() - 1).trade().price()));
            assertThat(row[2]).as(symbol + " day volume").isCloseTo(sameDay.stream().mapToDouble(sent -> sent.trade().volume()).sum(), org.assertj.core.api.Assertions.within(1e-6));
            assertThat((long) row[3]).as(symbol + " day trades").isEqualTo(sameDay.size());
            assertThat((long) row[4]).as(symbol + " last trade").isEqualTo(last.trade().ts());
            assertThat(row[5]).as(symbol + " day open").isEqualTo(sameDay.get(0).trade().price());
            assertThat(row[6]).as(symbol + " day high").isEqualTo(sameDay.stream().mapToDouble(sent -> sent.trade().price()).max().orElseThrow());
            assertThat(row[7]).as(symbol + " day low").isEqualTo(sameDay.stream().mapToDouble(sent -> sent.trade().price()).min().orElseThrow());
        });
    }

    /** The kept sparklines: the close of each hour that starts within 24 hours before the symbol's last trade. */
    private static void assertHourlyCloses(Connection connection, List<SentTrade> expected)
            throws SQLException
    {
        Map<String, List<SentTrade>> bySymbol = new java.util.TreeMap<>();
        expected.stream().sorted(SentTrade.ORDER).forEach(sent -> bySymbol.computeIfAbsent(sent.trade().symbol(), symbol -> new ArrayList<>()).add(sent));
        Map<String, List<Double>> wanted = new java.util.TreeMap<>();
        bySymbol.forEach((symbol, trades) -> {
            long lastTs = trades.get(trades.size() - 1).trade().ts();
            Map<Long, Double> closes = new java.util.TreeMap<>();
            trades.stream()
                    .filter(sent -> Math.floorDiv(sent.trade().ts(), 3_600_000L) * 3_600_000L > lastTs - 86_400_000L)
                    .forEach(sent -> closes.put(Math.floorDiv(sent.trade().ts(), 3_600_000L), sent.trade().price()));
            wanted.put(symbol, List.copyOf(closes.values()));
        });
        Map<String, List<Double>> actual = new java.util.TreeMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT symbol, hourly_closes FROM lambda.symbol_summaries")) {
            while (rows.next()) {
                actual.put(rows.getString(1), List.of((Double[]) rows.getArray(2).getArray()));
            }
        }
        assertThat(actual).isEqualTo(wanted);
    }

    /** A bucket wholly before the cutoff is the batch's, one at or after it the speed layer's, one across it merged. */
    private static void assertSourcesAndVwap(Connection connection, String view, long bucketMillis, long cutoff)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT (extract(epoch FROM bucket) * 1000)::bigint, source, vwap, volume, notional, first_ts < to_timestamp(" + cutoff + " / 1000.0),"
                        + " last_ts >= to_timestamp(" + cutoff + " / 1000.0) FROM lambda." + view)) {
            while (rows.next()) {
                long bucket = rows.getLong(1);
                String source = rows.getString(2);
                if (bucket + bucketMillis <= cutoff) {
                    assertThat(source).as(view + " " + bucket).isEqualTo("batch");
                }
                else if (bucket >= cutoff) {
                    assertThat(source).as(view + " " + bucket).isEqualTo("speed");
                }
                else {
                    boolean before = rows.getBoolean(6);
                    boolean after = rows.getBoolean(7);
                    assertThat(source).as(view + " " + bucket).isEqualTo(before && after ? "merged" : before ? "batch" : "speed");
                }
                double volume = rows.getDouble(4);
                Object vwap = rows.getObject(3);
                if (volume == 0) {
                    assertThat(vwap).as(view + " vwap at volume 0").isNull();
                }
                else {
                    assertThat((Double) vwap).isCloseTo(rows.getDouble(5) / volume, org.assertj.core.api.Assertions.within(1e-9 * Math.abs(rows.getDouble(5) / volume)));
                }
            }
        }
    }

    private static void reset()
            throws SQLException
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE lambda.speed_trades, lambda.speed_minute, lambda.speed_hourly, lambda.speed_daily, lambda.speed_offsets, lambda.speed_batches, lambda.batch_minute,"
                    + " lambda.batch_hourly, lambda.batch_daily, lambda.symbol_summaries, lambda.published_offsets, lambda.absorb_runs CASCADE");
            statement.execute("UPDATE lambda.cutoff SET cutoff_ts = '1970-01-01T00:00:00Z'");
        }
    }
}
