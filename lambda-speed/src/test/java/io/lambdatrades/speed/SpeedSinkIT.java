package io.lambdatrades.speed;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the sink's binary COPY stores, read back as any PostgreSQL client reads it. */
@ExtendWith(SharedPostgres.class)
class SpeedSinkIT
{
    @Test
    void everyFieldArrivesAsSentWithTheChangeAgainstThePreviousTrade(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_sink_fields");
        SpeedSink sink = new SpeedSink(database, "sink-test");
        List<String> awkward = List.of("a,b", "quote\"d", "{brace}", "back\\slash", "", "é€");
        List<KafkaTrade> trades = List.of(
                new KafkaTrade(new Trade("BINANCE:BTCUSDT", 64_000.5, 0.25, 1_763_000_000_123L, awkward, "finnhub", 1_763_000_000_200L), 2, 7),
                new KafkaTrade(new Trade("BINANCE:BTCUSDT", 63_999.25, 1e-8, 1_763_000_000_124L, List.of(), "finnhub", 1_763_000_000_201L), 2, 8),
                new KafkaTrade(new Trade("OANDA:EUR_USD", 1.0842, 0, 946_684_799_999L, List.of("1"), "simulate", 946_684_800_001L), 0, 0));

        assertThat(sink.write(0, trades)).isTrue();
        assertThat(sink.write(0, trades)).as("a replayed batch").isFalse();

        List<String> stored = new ArrayList<>();
        String sql = """
                SELECT kafka_partition, kafka_offset, symbol, exchange, instrument, price, volume, ts, conditions, source, ingest_ts, batch_id, price_change, pct_change
                FROM lambda.speed_trades ORDER BY kafka_partition, kafka_offset""";
        try (Connection connection = database.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                double change = rows.getDouble(13);
                String changeText = rows.wasNull() ? "null" : Double.toString(change);
                stored.add(String.join("|", rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                        Double.toString(rows.getDouble(6)), Double.toString(rows.getDouble(7)), rows.getTimestamp(8).toInstant().toString(),
                        Arrays.toString((Object[]) rows.getArray(9).getArray()), rows.getString(10), rows.getTimestamp(11).toInstant().toString(),
                        rows.getString(12), changeText, String.valueOf(rows.getObject(14))));
            }
        }
        assertThat(stored).containsExactly(
                "0|0|OANDA:EUR_USD|OANDA|EUR_USD|1.0842|0.0|" + Instant.ofEpochMilli(946_684_799_999L) + "|[1]|simulate|" + Instant.ofEpochMilli(946_684_800_001L) + "|0|null|null",
                "2|7|BINANCE:BTCUSDT|BINANCE|BTCUSDT|64000.5|0.25|" + Instant.ofEpochMilli(1_763_000_000_123L) + "|" + awkward + "|finnhub|"
                        + Instant.ofEpochMilli(1_763_000_000_200L) + "|0|null|null",
                "2|8|BINANCE:BTCUSDT|BINANCE|BTCUSDT|63999.25|1.0E-8|" + Instant.ofEpochMilli(1_763_000_000_124L) + "|[]|finnhub|"
                        + Instant.ofEpochMilli(1_763_000_000_201L) + "|0|" + (63_999.25 - 64_000.5) + "|" + (100 * (63_999.25 - 64_000.5) / 64_000.5));
    }

    @Test
    void theTopicReadAgainUnderNewBatchIdsWritesOnlyTheNewTrades(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_sink_reread");
        SpeedSink sink = new SpeedSink(database, "sink-test");
        List<KafkaTrade> first = List.of(
                new KafkaTrade(new Trade("AAPL", 100, 1, 1_000, List.of(), "simulate", 1_000), 0, 0),
                new KafkaTrade(new Trade("AAPL", 110, 2, 2_000, List.of(), "simulate", 2_000), 0, 1),
                new KafkaTrade(new Trade("MSFT", 50, 1, 1_500, List.of(), "simulate", 1_500), 1, 0));
        List<KafkaTrade> second = List.of(
                new KafkaTrade(new Trade("AAPL", 99, 1, 3_000, List.of(), "simulate", 3_000), 0, 2),
                new KafkaTrade(new Trade("MSFT", 55, 1, 3_500, List.of(), "simulate", 3_500), 1, 1));
        List<KafkaTrade> everything = new ArrayList<>(first);
        everything.addAll(second);

        assertThat(sink.write(0, first)).isTrue();
        assertThat(sink.write(0, first)).as("the same batch replayed after a crash").isFalse();
        // A lost checkpoint: the query starts again from the earliest offsets with batch ids from 0.
        assertThat(sink.write(0, everything)).isTrue();
        assertThat(sink.write(1, everything)).isFalse();

        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT symbol, count(*), sum(volume), string_agg(coalesce(round(price_change::numeric, 6)::text, '-'), ' ' ORDER BY ts)
                        FROM lambda.speed_trades GROUP BY symbol ORDER BY symbol""")) {
            List<String> stored = new ArrayList<>();
            while (rows.next()) {
                stored.add(rows.getString(1) + " " + rows.getLong(2) + " " + rows.getDouble(3) + " " + rows.getString(4));
            }
            assertThat(stored).containsExactly("AAPL 3 4.0 - 10.000000 -11.000000", "MSFT 2 2.0 - 5.000000");
        }
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT sum(trades) FROM lambda.speed_minute")) {
            rows.next();
            assertThat(rows.getLong(1)).isEqualTo(5);
        }
    }

    @Test
    void tradesOfAPendingCatchUpAreLeftToTheBatchLayerButLateOnesAreNot(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_sink_catch_up");
        SpeedSink sink = new SpeedSink(database, "sink-test");
        long day = 86_400_000L;
        long cutoff = 20_000 * day;
        TestSql.execute(database, "UPDATE lambda.cutoff SET cutoff_ts = to_timestamp(" + cutoff / 1000 + ")");
        TestSql.execute(database, "INSERT INTO lambda.batch_runs (period_start, period_end, trigger, state) VALUES (to_timestamp("
                + cutoff / 1000 + "), to_timestamp(" + (cutoff + 3 * day) / 1000 + "), 'catch-up', 'queued')");
        long today = cutoff + 3 * day;
        // Two groups: the history of the catch-up's days, then today's trades after the last history trade of AAPL.
        assertThat(sink.write(0, List.of(
                trade("AAPL", 100, cutoff + 10, 0, 0),
                trade("AAPL", 101, cutoff + day, 0, 1),
                trade("MSFT", 50, cutoff + 2 * day, 1, 0)))).isTrue();
        assertThat(sink.write(1, List.of(
                trade("AAPL", 104, cutoff + 2 * day + 5, 0, 2),
                trade("AAPL", 110, today + 1_000, 0, 3),
                trade("MSFT", 55, today + 2_000, 1, 1),
                trade("MSFT", 40, cutoff - 1_000, 1, 2)))).isTrue();

        assertThat(TestSql.column(database, """
                SELECT symbol || ' ' || price || ' ' || coalesce(round(price_change::numeric, 6)::text, '-') FROM lambda.speed_trades
                WHERE ts >= to_timestamp(%d) ORDER BY symbol, ts""".formatted(today / 1000)))
                .as("today's trades, each with its change against the trade before it, though that one is the catch-up's")
                .containsExactly("AAPL 110 6.000000", "MSFT 55 5.000000");
        assertThat(TestSql.column(database, "SELECT symbol || ' ' || trades FROM lambda.speed_minute ORDER BY bucket, symbol"))
                .as("no minute of the catch-up's days; the late trade before the cutoff is counted")
                .containsExactly("MSFT 1", "AAPL 1", "MSFT 1");
        assertThat(TestSql.column(database, "SELECT kafka_partition || ':' || next_offset FROM lambda.speed_offsets WHERE query_name = 'sink-test' ORDER BY 1"))
                .containsExactly("0:4", "1:3");

        // Once the catch-up is done, a trade of its days is a late trade like any other.
        TestSql.execute(database, "UPDATE lambda.batch_runs SET state = 'success'");
        TestSql.execute(database, "UPDATE lambda.cutoff SET cutoff_ts = to_timestamp(" + today / 1000 + ")");
        assertThat(sink.write(2, List.of(trade("AAPL", 99, cutoff + day + 7, 0, 4)))).isTrue();
        assertThat(TestSql.column(database, "SELECT count(*) FROM lambda.speed_minute WHERE bucket < to_timestamp(%d)".formatted(today / 1000)))
                .containsExactly("2");
    }

    private static KafkaTrade trade(String symbol, double price, long ts, int partition, long offset)
    {
        return new KafkaTrade(new Trade(symbol, price, 1, ts, List.of(), "simulate", ts), partition, offset);
    }
}
