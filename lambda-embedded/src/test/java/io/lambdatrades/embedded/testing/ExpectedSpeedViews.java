package io.lambdatrades.embedded.testing;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The speed layer's tables against what the trades give directly: every trade once with its change
 * against the symbol's previous trade in (ts, partition, offset) order, and the minute aggregates.
 */
public final class ExpectedSpeedViews
{
    private ExpectedSpeedViews() {}

    public static void assertMatch(List<SentTrade> sent, PostgresConnection database)
            throws SQLException
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            assertChanges(sent, statement);
            Map<String, Aggregate> expectedMinutes = ExpectedAggregates.of(sent, 60_000, Long.MAX_VALUE);
            ExpectedAggregates.assertSame(expectedMinutes, ExpectedAggregates.read(connection,
                    "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.speed_minute"));
            try (ResultSet rows = statement.executeQuery("SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, vwap FROM lambda.speed_minute")) {
                while (rows.next()) {
                    String key = rows.getString(1) + "@" + rows.getLong(2);
                    assertVwap(key, expectedMinutes.get(key), (Double) rows.getObject(3));
                }
            }
        }
    }

    private static void assertChanges(List<SentTrade> sent, Statement statement)
            throws SQLException
    {
        Map<String, double[]> expectedChanges = new HashMap<>();
        Map<String, List<SentTrade>> bySymbol = sent.stream().sorted(SentTrade.ORDER).collect(Collectors.groupingBy(trade -> trade.trade().symbol()));
        for (List<SentTrade> trades : bySymbol.values()) {
            for (int i = 1; i < trades.size(); i++) {
                double previous = trades.get(i - 1).trade().price();
                double price = trades.get(i).trade().price();
                expectedChanges.put(key(trades.get(i).partition(), trades.get(i).offset()), new double[] {price - previous, 100 * (price - previous) / previous});
            }
        }
        Set<String> sentKeys = sent.stream().map(trade -> key(trade.partition(), trade.offset())).collect(Collectors.toSet());
        try (ResultSet rows = statement.executeQuery("SELECT kafka_partition, kafka_offset, price_change, pct_change FROM lambda.speed_trades")) {
            int seen = 0;
            while (rows.next()) {
                seen++;
                String key = key(rows.getInt(1), rows.getLong(2));
                assertThat(sentKeys).as("trades sent").contains(key);
                double[] expected = expectedChanges.get(key);
                if (expected == null) {
                    assertThat(rows.getObject(3)).as("the first trade of a symbol has no change").isNull();
                }
                else {
                    assertThat(rows.getDouble(3)).isCloseTo(expected[0], within(1e-9 * Math.max(1, Math.abs(expected[0]))));
                    assertThat(rows.getDouble(4)).isCloseTo(expected[1], within(1e-9 * Math.max(1, Math.abs(expected[1]))));
                }
            }
            assertThat(seen).as("trades in speed_trades").isEqualTo(sent.size());
        }
    }

    /** SPEC 3: notional / volume, null when the volume is 0 (FX). */
    private static void assertVwap(String key, Aggregate expected, Double vwap)
    {
        assertThat(expected).as(key).isNotNull();
        if (expected.volume == 0) {
            assertThat(vwap).as(key + " vwap").isNull();
        }
        else {
            double expectedVwap = expected.notional / expected.volume;
            assertThat(vwap).as(key + " vwap").isCloseTo(expectedVwap, within(1e-9 * Math.abs(expectedVwap)));
        }
    }

    private static String key(int partition, long offset)
    {
        return partition + "/" + offset;
    }
}
