package io.lambdatrades.serving;

import io.lambdatrades.batch.ViewPublisher;
import io.lambdatrades.batch.ViewRows;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestSql;
import io.lambdatrades.speed.KafkaTrade;
import io.lambdatrades.speed.SpeedSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The speed layer's commit beside the batch layer's publish, both as the product runs them: the one
 * place where the two layers' writers meet, tested here, where both modules are seen (lambda-speed's
 * tests depend on no other layer, so that its module builds beside lambda-batch).
 */
@ExtendWith(SharedPostgres.class)
class SpeedSinkPublishIT
{
    // A publish's cutoff; the absorb before it reached partition 0's offset 10.
    private static final long PUBLISHED_CUTOFF = 20_000 * 86_400_000L;

    @Test
    void aTradeThePublishedViewsHoldIsStoredButNotCountedLate(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_sink_published");
        SpeedSink sink = new SpeedSink(database, "sink-test");
        long cutoff = PUBLISHED_CUTOFF;
        absorbBelowOffsetTen(database);
        publish(database);

        // The speed layer behind the batch layer: offset 5 is in the views; 12 came after the publish's absorb.
        assertThat(sink.write(0, List.of(
                trade("AAPL", 100, cutoff - 120_000, 0, 5),
                trade("AAPL", 101, cutoff - 60_000, 0, 12),
                trade("MSFT", 50, cutoff - 60_000, 1, 0),
                trade("AAPL", 102, cutoff + 1, 0, 13)))).isTrue();

        assertThat(TestSql.column(database, "SELECT count(*) FROM lambda.speed_trades")).containsExactly("4");
        assertThat(TestSql.column(database, "SELECT symbol || ' ' || (bucket < to_timestamp(%d)) || ' ' || trades FROM lambda.speed_minute ORDER BY bucket, symbol"
                .formatted(cutoff / 1000)))
                .as("the late trades only, and the trade after the cutoff")
                .containsExactly("AAPL true 1", "MSFT true 1", "AAPL false 1");
    }

    @Test
    void aWriteDuringAPublishWaitsForItAndSeesItsCutoff(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_sink_publish_race");
        SpeedSink sink = new SpeedSink(database, "sink-test");
        long cutoff = PUBLISHED_CUTOFF;
        absorbBelowOffsetTen(database);
        try (Connection blocker = database.open(); Statement statement = blocker.createStatement()) {
            // The real publish, held after it has locked speed_minute and moved the cutoff, before its commit.
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE lambda.published_offsets IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Void> publish = CompletableFuture.runAsync(() -> {
                try {
                    publish(database);
                }
                catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            awaitWaitingFor(database, "published_offsets");
            CompletableFuture<Boolean> write = CompletableFuture.supplyAsync(() -> {
                try {
                    return sink.write(0, List.of(trade("AAPL", 100, cutoff - 60_000, 0, 5)));
                }
                catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
            awaitWaitingFor(database, "speed_minute");
            assertThat(write).isNotDone();
            blocker.commit();
            publish.get(30, TimeUnit.SECONDS);
            assertThat(write.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(TestSql.column(database, "SELECT count(*) FROM lambda.speed_trades")).containsExactly("1");
        assertThat(TestSql.column(database, "SELECT count(*) FROM lambda.speed_minute"))
                .as("read after the publish's commit: the trade is in the views it published, not late")
                .containsExactly("0");
    }

    /** The absorb ledger's record that the master dataset holds partition 0 below offset 10. */
    private static void absorbBelowOffsetTen(PostgresConnection database)
            throws SQLException
    {
        TestSql.execute(database, "INSERT INTO lambda.absorb_runs (absorb_id, topic, staging_dir, trades, installed_at) VALUES (1, 'trades', 'speed-sink-it', 10, now())");
        TestSql.execute(database, "INSERT INTO lambda.absorb_offsets VALUES ('trades', 0, 10, 1)");
    }

    /** The batch layer's own publish, with no new dates: the cutoff moves and the views reach the absorbed offsets. */
    private static void publish(PostgresConnection database)
            throws Exception
    {
        ViewRows none = (view, dates, columns) -> {
            throw new AssertionError("a publish of no dates reads no views");
        };
        new ViewPublisher(database, "trades", () -> none).publish(Set.of(), Instant.ofEpochMilli(PUBLISHED_CUTOFF), Duration.ofDays(1));
    }

    private static void awaitWaitingFor(PostgresConnection database, String table)
    {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestSql.column(database,
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'lambda.%s'::regclass".formatted(table)).equals(List.of("1")));
    }

    private static KafkaTrade trade(String symbol, double price, long ts, int partition, long offset)
    {
        return new KafkaTrade(new Trade(symbol, price, 1, ts, List.of(), "simulate", ts), partition, offset);
    }
}
