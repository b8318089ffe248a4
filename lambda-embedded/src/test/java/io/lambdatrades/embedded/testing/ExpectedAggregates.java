package io.lambdatrades.embedded.testing;

import io.lambdatrades.common.Trade;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Aggregates per (symbol, bucket) computed straight from the trades, in (ts, partition, offset) order. */
public final class ExpectedAggregates
{
    private ExpectedAggregates() {}

    /** A trade as it was read back from Kafka. */
    public record SentTrade(Trade trade, int partition, long offset)
    {
        public static final Comparator<SentTrade> ORDER = Comparator.comparingLong((SentTrade sent) -> sent.trade().ts())
                .thenComparingInt(SentTrade::partition)
                .thenComparingLong(SentTrade::offset);
    }

    /** Keyed by "symbol@bucketStartMillis". */
    public static Map<String, Aggregate> of(List<SentTrade> trades, long bucketMillis, long cutoffMillis)
    {
        Map<String, Aggregate> aggregates = new TreeMap<>();
        trades.stream().filter(sent -> sent.trade().ts() < cutoffMillis).sorted(SentTrade.ORDER).forEach(sent -> {
            long bucket = Math.floorDiv(sent.trade().ts(), bucketMillis) * bucketMillis;
            aggregates.computeIfAbsent(sent.trade().symbol() + "@" + bucket, key -> new Aggregate()).add(sent.trade());
        });
        return aggregates;
    }

    public static final class Aggregate
    {
        double open = Double.NaN;
        double high = Double.NEGATIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        double close;
        double volume;
        long trades;
        double notional;

        public void add(Trade trade)
        {
            if (trades == 0) {
                open = trade.price();
            }
            close = trade.price();
            high = Math.max(high, trade.price());
            low = Math.min(low, trade.price());
            volume += trade.volume();
            notional += trade.price() * trade.volume();
            trades++;
        }

        public static Aggregate of(double open, double high, double low, double close, double volume, long trades, double notional)
        {
            Aggregate aggregate = new Aggregate();
            aggregate.open = open;
            aggregate.high = high;
            aggregate.low = low;
            aggregate.close = close;
            aggregate.volume = volume;
            aggregate.trades = trades;
            aggregate.notional = notional;
            return aggregate;
        }

        public void assertEquals(String key, Aggregate actual)
        {
            assertThat(actual).as(key).isNotNull();
            assertThat(actual.open).as(key + " open").isEqualTo(open);
            assertThat(actual.close).as(key + " close").isEqualTo(close);
            assertThat(actual.high).as(key + " high").isEqualTo(high);
            assertThat(actual.low).as(key + " low").isEqualTo(low);
            assertThat(actual.trades).as(key + " trades").isEqualTo(trades);
            assertThat(actual.volume).as(key + " volume").isCloseTo(volume, within(1e-9 * Math.max(1, volume)));
            assertThat(actual.notional).as(key + " notional").isCloseTo(notional, within(1e-9 * Math.max(1, notional)));
        }
    }

    /** Rows of (symbol, bucket start in epoch ms, open, high, low, close, volume, trades, notional), keyed as {@link #of}. */
    public static Map<String, Aggregate> read(Connection connection, String sql)
            throws SQLException
    {
        Map<String, Aggregate> aggregates = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                aggregates.put(rows.getString(1) + "@" + rows.getLong(2),
                        Aggregate.of(rows.getDouble(3), rows.getDouble(4), rows.getDouble(5), rows.getDouble(6), rows.getDouble(7), rows.getLong(8), rows.getDouble(9)));
            }
        }
        return aggregates;
    }

    public static void assertSame(Map<String, Aggregate> expected, Map<String, Aggregate> actual)
    {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, aggregate) -> aggregate.assertEquals(key, actual.get(key)));
    }
}
