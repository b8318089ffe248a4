package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Finnhub, replay and record paths of the command, as a user runs them. */
@ExtendWith(SharedKafka.class)
class FeedSourcesIT
{
    private static final String TOKEN = "c9live-secret-token";
    private static final String FRAME = "{\"type\":\"trade\",\"data\":[{\"p\":190.25,\"s\":\"AAPL\",\"t\":%d,\"v\":5,\"c\":[\"1\"]},{\"p\":-1,\"s\":\"AAPL\",\"t\":%d,\"v\":5}]}";

    @TempDir
    Path dataDir;

    @Test
    void upIngestsFinnhubAndTheTokenAppearsNowhere()
            throws Exception
    {
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                LambdaProcess up = LambdaProcess.start(Map.of("FINNHUB_TOKEN", TOKEN),
                        "up", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", "AAPL,MSFT", "--finnhub-url", server.url().toString())) {
            await().atMost(Duration.ofMinutes(2)).until(() -> !server.connections().isEmpty() && server.current().subscriptions().size() == 2);
            long now = System.currentTimeMillis();
            server.current().send(String.format(FRAME, now, now));
            await().atMost(Duration.ofMinutes(1)).until(() -> up.stdout().contains("ingesting") && up.stdout().contains("Ctrl-C stops everything.") || !up.isAlive());

            JsonNode status = awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() == 1 && json.at("/topics/trades.dlq/records").asLong() == 1, Duration.ofMinutes(3));
            assertThat(status.at("/ingest/source").asText()).isEqualTo("finnhub");
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
            assertThat(up.stdout() + up.stderr()).doesNotContain(TOKEN);
        }
        assertThat(everyFileUnder(dataDir.resolve("logs"))).doesNotContain(TOKEN);
        assertThat(Files.readString(dataDir.resolve("run/lambda.json"))).doesNotContain(TOKEN);
    }

    @Test
    void aRefusedTokenStopsTheIngesterWithOneLine(EmbeddedKafka kafka)
            throws Exception
    {
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start("another-token", 50, TokenRefusal.HTTP_401)) {
            LambdaProcess.Result result = LambdaProcess.run(Map.of("FINNHUB_TOKEN", TOKEN, "LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                    "ingest", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", "AAPL", "--finnhub-url", server.url().toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr().lines().filter(line -> line.startsWith("lambda:")).toList())
                    .containsExactly("lambda: Finnhub refused the token (HTTP 401 at " + server.url() + ")");
            assertThat(result.stdout() + result.stderr()).doesNotContain(TOKEN);
            assertThat(server.refusedTokens()).hasSize(1);
        }
        assertThat(everyFileUnder(dataDir.resolve("logs"))).doesNotContain(TOKEN);
    }

    @Test
    void aRefusedTokenStopsUpWithOneLine()
            throws Exception
    {
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start("another-token", 50, TokenRefusal.HTTP_401)) {
            LambdaProcess.Result result = LambdaProcess.run(Map.of("FINNHUB_TOKEN", TOKEN),
                    "up", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", "AAPL", "--finnhub-url", server.url().toString());

            // Refused for good: the ingester is not restarted, and up stops everything with the feed's word.
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr().lines().filter(line -> line.startsWith("lambda:")).toList())
                    .containsExactly("lambda: Finnhub refused the token (HTTP 401 at " + server.url() + ")");
            assertThat(server.refusedTokens()).hasSize(1);
            assertThat(result.stdout() + result.stderr()).doesNotContain(TOKEN);
        }
    }

    @Test
    void moreSymbolsThanOneConnectionTakesAreRefusedAtStart()
    {
        String fiftyOne = IntStream.range(0, 51).mapToObj(i -> "S" + i).collect(Collectors.joining(","));
        LambdaProcess.Result tooMany = LambdaProcess.run(Map.of("FINNHUB_TOKEN", TOKEN), "up", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", fiftyOne);

        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.stderr()).isEqualTo("lambda: configuration: ingest.symbols: 51 symbols, more than one Finnhub connection takes (finnhub.max.symbols = 50)");
    }

    @Test
    void aMissingTokenIsOneLine(EmbeddedKafka kafka)
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of("LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                "ingest", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", "AAPL");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: FINNHUB_TOKEN: not set, and neither is finnhub.token.file: the Finnhub feed needs an API key");
    }

    @Test
    void recordThenReplayThroughUp()
            throws Exception
    {
        Path recording = dataDir.resolve("feed.ndjson");
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                LambdaProcess record = LambdaProcess.start(Map.of("FINNHUB_TOKEN", TOKEN),
                        "record", "--data-dir", dataDir.toString(), "--out", recording.toString(), "--symbols", "AAPL", "--finnhub-url", server.url().toString())) {
            await().atMost(Duration.ofMinutes(1)).until(() -> !server.connections().isEmpty() && server.current().subscriptions().size() == 1);
            long now = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) {
                server.current().send(String.format(FRAME, now + i, now + i));
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(recording) && Files.readAllLines(recording).size() == 5);
            record.interrupt();
            assertThat(record.waitFor(Duration.ofMinutes(1))).isZero();
            assertThat(record.stdout()).contains("lambda record: stopped; 5 frames in " + recording);
        }

        try (LambdaProcess up = LambdaProcess.start(LambdaProcess.INGEST_ONLY, "up", "--data-dir", dataDir.toString(), "--source", "replay", "--replay", recording.toString(), "--speed", "max")) {
            // A replay at full speed can finish before the other layers report running: wait for both.
            JsonNode status = awaitStatus(dataDir, json -> "finished".equals(json.at("/layers/ingest/state").asText()) && json.at("/healthy").asBoolean(), Duration.ofMinutes(3));
            assertThat(status.at("/topics/trades/records").asLong()).isEqualTo(5);
            assertThat(status.at("/topics/trades.dlq/records").asLong()).isEqualTo(5);
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
        }
    }

    private static String everyFileUnder(Path dir)
            throws IOException
    {
        if (!Files.exists(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.walk(dir)) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file));
            }
            return text.toString();
        }
    }
}
