package io.lambdatrades.serving;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestTrades;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader racing publishes that move the cutoff hour by hour never sees a trade twice or missing. */
@ExtendWith(SharedPostgres.class)
class ServingPublishRaceIT
{
    private static final long DAY = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();

    @Test
    void aReaderRacingPublishesSeesEveryTradeOnceInEveryView(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "serving_race");
        List<SentTrade> trades = new ArrayList<>();
        // A day of bursty trades: spread over its 24 hours, so that the hourly publishes each move some.
        List<Trade> generated = TestTrades.bursty(new Random(7), 20_000, DAY);
        for (int i = 0; i < generated.size(); i++) {
            Trade trade = generated.get(i);
            long ts = DAY + (trade.ts() - DAY) * 86_000_000L / (generated.get(generated.size() - 1).ts() - DAY + 1);
            trades.add(new SentTrade(new Trade(trade.symbol(), trade.price(), trade.volume(), Math.max(DAY, ts), List.of(), "simulate", ts), i % 3, i / 3));
        }
        ServingData data = new ServingData(database);
        for (int i = 0; i < trades.size(); i += 2_000) {
            data.speed(trades.subList(i, Math.min(trades.size(), i + 2_000)));
        }
        long total = trades.size();

        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
                while (publishing.get()) {
                    for (String view : List.of("serving_minute", "serving_hourly", "serving_daily")) {
                        try (ResultSet rows = statement.executeQuery("SELECT coalesce(sum(trades), 0), count(*) FILTER (WHERE trades = 0) FROM lambda." + view)) {
                            rows.next();
                            assertThat(rows.getLong(1)).as(view + " while the cutoff moves").isEqualTo(total);
                        }
                    }
                    reads.incrementAndGet();
                }
            }
            catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        int publishes = 0;
        for (long cutoff = DAY + 3_600_000L; cutoff <= DAY + 86_400_000L && !reader.isDone(); cutoff += 3_600_000L) {
            data.publish(trades, Instant.ofEpochMilli(cutoff));
            publishes++;
        }
        assertThat(publishes).isEqualTo(24);
        publishing.set(false);
        reader.get();
        assertThat(reads.get()).as("reads during the publishes").isGreaterThan(5);
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM lambda.speed_minute")) {
            rows.next();
            assertThat(rows.getLong(1)).as("every speed minute replaced by the batch").isZero();
        }
    }
}
