package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.PortAllocator;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code up} on external services, each stopped and started again during live ingest: the Kafka
 * broker, and while it is down the ingester killed with -9 holding trades Kafka never acknowledged
 * (lost, as status says they may be); then PostgreSQL (a server from the system's packages) for 30 s.
 * Every layer rides it out: each trade that reached Kafka is there once, in the master dataset once,
 * and every merged aggregate equals the trades ({@link ExactnessCheck}).
 */
class ExternalFaultsIT
{
    private static final String TOKEN = "external-faults-token";
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "BINANCE:BTCUSDT", "OANDA:EUR_USD");

    // Kept when the test fails: the logs of every layer are in it.
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void everyLayerRidesOutAKafkaRestartAndAPostgresStop()
            throws Exception
    {
        // The exactness check reads today's aggregates: today must still be today when it does.
        UtcDay.stableFor(Duration.ofMinutes(8));
        Path dataDir = dir.resolve("data");
        Path kafkaLog = dir.resolve("kafka");
        PortAllocator ports = new PortAllocator();
        int kafkaPort = ports.free();
        int controllerPort = ports.free();
        int apiPort = ports.free();
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaLog, kafkaPort, controllerPort);
        try (ExternalPostgres postgres = ExternalPostgres.start();
                FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401)) {
            Map<String, String> environment = Map.of(
                    "LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "LAMBDA_POSTGRES_JDBC_URL", postgres.jdbcUrl());
            try (LambdaProcess up = LambdaProcess.start(withAll(environment, Map.of("FINNHUB_TOKEN", TOKEN, "LAMBDA_BATCH_AUDIT", "true", "LAMBDA_BATCH_RETRY_BACKOFF", "1s")),
                    "up", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", String.join(",", SYMBOLS),
                    "--finnhub-url", server.url().toString(), "--port", Integer.toString(apiPort))) {
                DeliveringFeed feed = new DeliveringFeed(server, SYMBOLS, 7);
                feed.awaitSubscribed(1);
                PostgresConnection database = new PostgresConnection(postgres.jdbcUrl(), "postgres", "");

                // The broker goes away; frames go on arriving and wait in the ingester, its producer waiting for Kafka.
                long tradesMayBeMissing;
                long framesMayBeMissing;
                long lostAtLeast;
                try (DeliveringFeed.Live live = feed.live()) {
                    awaitRecordsGrow(dataDir, 200);
                }
                // Every trade delivered so far is in Kafka: a trade may go missing only from here to the kill.
                awaitInKafka(dataDir, feed);
                int outageStart = feed.deliveredCount();
                int outageEnd;
                try (DeliveringFeed.Live live = feed.live()) {
                    kafka.close();
                    int beforeOutage = feed.deliveredCount();
                    await().atMost(Duration.ofMinutes(1)).until(() -> feed.deliveredCount() > beforeOutage + 300);
                    live.close();
                    outageEnd = feed.deliveredCount();
                    // Nothing delivered while the broker is down can reach Kafka before the ingester is killed.
                    lostAtLeast = feed.deliveredCount() - beforeOutage;

                    // The ingester killed with -9 once every frame is in it: status says what may be missing.
                    long ingesterPid = awaitStatus(dataDir, json -> json.at("/ingest/frames").asLong() + json.at("/ingest/bufferedFrames").asLong() == feed.framesSent(),
                            Duration.ofMinutes(1)).at("/layers/ingest/pid").asLong();
                    ProcessHandle.of(ingesterPid).orElseThrow().destroyForcibly();
                    // A child that died reads as running with no pid until its supervisor sees it: wait for the new one's pid.
                    JsonNode restarted = awaitStatus(dataDir, json -> json.at("/layers/ingest/state").asText().equals("running")
                            && json.at("/layers/ingest/pid").asLong() > 0 && json.at("/layers/ingest/pid").asLong() != ingesterPid, Duration.ofMinutes(1));
                    tradesMayBeMissing = restarted.at("/ingest/tradesMayBeMissing").asLong();
                    framesMayBeMissing = restarted.at("/ingest/framesMayBeMissing").asLong();
                    // Its producer may have taken every frame's trades already (then none is counted as a frame).
                    assertThat(tradesMayBeMissing + 24 * framesMayBeMissing).isGreaterThanOrEqualTo(lostAtLeast);
                    assertThat(restarted.at("/layers/ingest/restarts").asLong()).isGreaterThanOrEqualTo(1);

                    // The broker comes back on the same log and port, and the feed on the new ingester's connection.
                    kafka = EmbeddedKafka.start(kafkaLog, kafkaPort, controllerPort);
                    feed.awaitSubscribed(2);
                }
                try (DeliveringFeed.Live live = feed.live()) {
                    awaitRecordsGrow(dataDir, 500);

                    // PostgreSQL stopped for 30 s (every connection ended), then started again.
                    postgres.stop();
                    LockSupport.parkNanos(Duration.ofSeconds(30).toNanos());
                    postgres.startServer();
                    awaitStatus(dataDir, json -> json.at("/postgres/state").asText().equals("up"), Duration.ofMinutes(1));
                    awaitRecordsGrow(dataDir, 500);
                }
                // What the killed ingester lost is within what it said may be missing: the trades it had sent unacknowledged and
                // those of the frames it held (5 to 24 a frame; one of them may have been partly sent).
                String bootstrapServers = kafka.bootstrapServers();
                long upperBound = tradesMayBeMissing + 24 * framesMayBeMissing;
                List<String> missing = await().atMost(Duration.ofMinutes(2)).until(() -> feed.missingFrom(KafkaTopics.readTrades(bootstrapServers, "trades")),
                        stillMissing -> stillMissing.size() <= upperBound);
                assertThat((long) missing.size()).isGreaterThanOrEqualTo(lostAtLeast);
                assertThat(feed.missingIndexesFrom(KafkaTopics.readTrades(bootstrapServers, "trades")))
                        .as("every missing trade was delivered between the broker's stop and the ingester's kill (%d to %d)", outageStart, outageEnd)
                        .allSatisfy(index -> assertThat(index).isBetween(outageStart, outageEnd - 1));
                feed.forget(missing);
                awaitInKafka(dataDir, feed);
                // Every layer caught up: the speed layer has written all of Kafka.
                awaitStatus(dataDir, json -> json.at("/speed/lag").asLong(-1) == 0, Duration.ofMinutes(3));

                new ExactnessCheck(dataDir, environment, SYMBOLS, apiPort, 0).assertExact(feed, kafka.bootstrapServers(), "trades", database);
                JsonNode after = awaitStatus(dataDir, json -> json.at("/healthy").asBoolean(), Duration.ofMinutes(2));
                assertThat(after.at("/layers/ingest/state").asText()).isEqualTo("running");
                up.interrupt();
                assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
            }
        }
        finally {
            kafka.close();
        }
    }

    /** Waits until Kafka holds {@code more} records beyond what it held when called. */
    private static void awaitRecordsGrow(Path dataDir, long more)
    {
        long before = awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong(-1) >= 0, Duration.ofMinutes(2)).at("/topics/trades/records").asLong();
        awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() >= before + more, Duration.ofMinutes(2));
    }

    private static void awaitInKafka(Path dataDir, DeliveringFeed feed)
    {
        awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() == feed.deliveredCount(), Duration.ofMinutes(3));
    }

    private static Map<String, String> withAll(Map<String, String> first, Map<String, String> second)
    {
        Map<String, String> all = new HashMap<>(first);
        all.putAll(second);
        return all;
    }
}
