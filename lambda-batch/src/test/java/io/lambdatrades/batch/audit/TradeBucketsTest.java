package io.lambdatrades.batch.audit;

import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The audit's aggregates, built as Spark runs them (trades spread over partitions in any order, each
 * partition's buckets serialized to the driver and merged in any order), equal the aggregates
 * computed straight from the trades in (ts, partition, offset) order.
 */
class TradeBucketsTest
{
    private static final long START = 1_764_547_200_000L; // 2025-12-01T00:00:00Z
    private static final List<Grain> GRAINS = List.of(Grain.DAY, Grain.HOUR, Grain.MINUTE);

    @Property(tries = 200)
    void partitionsMergedInAnyOrderEqualTheTrades(@ForAll("trades") List<SentTrade> trades, @ForAll long seed)
            throws IOException, ClassNotFoundException
    {
        Random random = new Random(seed);
        List<SentTrade> shuffled = new ArrayList<>(trades);
        Collections.shuffle(shuffled, random);
        int partitions = 1 + random.nextInt(5);
        List<TradeBuckets> partials = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            partials.add(new TradeBuckets(GRAINS));
        }
        for (SentTrade sent : shuffled) {
            Trade trade = sent.trade();
            partials.get(random.nextInt(partitions)).add(trade.symbol(), trade.price(), trade.volume(), trade.ts(), sent.partition(), sent.offset());
        }
        TradeBuckets merged = new TradeBuckets(GRAINS);
        Collections.shuffle(partials, random);
        for (TradeBuckets partial : partials) {
            merged.merge(roundTrip(partial));
        }

        for (Grain grain : GRAINS) {
            Map<String, Aggregate> actual = new TreeMap<>();
            merged.aggregates().stream().filter(bucket -> bucket.grain() == grain).forEach(bucket -> actual.put(bucket.symbol() + "@" + bucket.bucketMs(),
                    Aggregate.of(bucket.open(), bucket.high(), bucket.low(), bucket.close(), bucket.volume(), bucket.trades(), bucket.notional())));
            ExpectedAggregates.assertSame(ExpectedAggregates.of(trades, grain.millis(), Long.MAX_VALUE), actual);
        }
    }

    /** Trades over two days in three partitions: many in the same millisecond, prices often equal. */
    @Provide
    Arbitrary<List<SentTrade>> trades()
    {
        Arbitrary<Trade> trade = Combinators.combine(
                Arbitraries.of("AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD"),
                Arbitraries.integers().between(1, 8).map(tick -> 100 + tick * 0.25),
                Arbitraries.doubles().between(0.001, 50).ofScale(3),
                Arbitraries.oneOf(Arbitraries.longs().between(0, 5).map(ms -> START + 59_999 + ms),
                        Arbitraries.longs().between(0, 2 * Grain.DAY.millis()).map(ms -> START + ms)))
                .as((symbol, price, volume, ts) -> new Trade(symbol, price, volume, ts, List.of(), "test", ts));
        return trade.list().ofMaxSize(300).map(TradeBucketsTest::inPartitions);
    }

    private static List<SentTrade> inPartitions(List<Trade> trades)
    {
        long[] next = new long[3];
        List<SentTrade> sent = new ArrayList<>();
        for (int index = 0; index < trades.size(); index++) {
            int partition = Math.floorMod(trades.get(index).hashCode() + index, 3);
            sent.add(new SentTrade(trades.get(index), partition, next[partition]++));
        }
        return sent;
    }

    private static TradeBuckets roundTrip(TradeBuckets buckets)
            throws IOException, ClassNotFoundException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(buckets);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (TradeBuckets) in.readObject();
        }
    }
}
