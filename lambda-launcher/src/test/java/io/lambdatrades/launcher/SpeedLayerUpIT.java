package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.testing.ExpectedSpeedViews;
import io.lambdatrades.embedded.testing.KafkaTopics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The speed layer as {@code up} runs it: a child JVM, killed with -9 mid-stream, restarted, exact again. */
class SpeedLayerUpIT
{
    private static final int FRAMES = 400;
    private static final int TRADES_PER_FRAME = 50;
    private static final long TOTAL_TRADES = (long) FRAMES * TRADES_PER_FRAME;

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"realtime", "microbatch"})
    void aKilledSpeedLayerIsRestartedAndItsViewsEqualWhatTheTradesGiveDirectly(String mode)
            throws Exception
    {
        Path recording = dataDir.resolve("recording.ndjson");
        Files.write(recording, frames());
        // At the recording's own pace the replay lasts 40 s, and small micro-batches work off a backlog in
        // many transactions: however slow the speed layer is to start, the kill falls mid-stream.
        // The scheduler and the serving layer have nothing to do with it: off, as JVMs that would only take CPU.
        Map<String, String> environment = Map.of("LAMBDA_SPEED_MODE", mode, "LAMBDA_SPEED_MAX_BATCH_TRADES", "500", "LAMBDA_SPEED_GROUP_TRADES", "50",
                "LAMBDA_SCHEDULER_ENABLED", "false", "LAMBDA_SERVING_ENABLED", "false");
        try (LambdaProcess up = LambdaProcess.start(environment, "up", "--data-dir", dataDir.toString(), "--source", "replay", "--replay", recording.toString(), "--speed", "1")) {
            JsonNode running = awaitStatus(dataDir, json -> json.at("/layers/speed/pid").asLong() > 0, Duration.ofMinutes(3));
            long firstPid = running.at("/layers/speed/pid").asLong();
            assertThat(firstPid).isNotEqualTo(up.pid());
            PostgresConnection postgres = new PostgresConnection(running.at("/postgres/jdbcUrl").asText(), "postgres", "");
            await().atMost(Duration.ofMinutes(2)).until(() -> count(postgres) > 0);

            ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
            assertThat(count(postgres)).as("trades written before the kill").isLessThan(TOTAL_TRADES);

            JsonNode restarted = awaitStatus(dataDir, json -> json.at("/layers/speed/pid").asLong() > 0 && json.at("/layers/speed/pid").asLong() != firstPid, Duration.ofMinutes(3));
            assertThat(restarted.at("/layers/speed/state").asText()).isEqualTo("running");
            await().atMost(Duration.ofMinutes(3)).until(() -> count(postgres) == TOTAL_TRADES);
            ExpectedSpeedViews.assertMatch(KafkaTopics.readTrades(running.at("/kafka/bootstrapServers").asText(), "trades"), postgres);
            // The restarted layer's metrics, as status shows them: nothing left to read.
            JsonNode caughtUp = awaitStatus(dataDir, json -> json.at("/speed/mode").asText().equals(mode) && json.at("/speed/lag").asLong(-1) == 0
                    && (mode.equals("realtime") || json.at("/speed/batchId").asLong(-1) >= 0), Duration.ofMinutes(3));
            assertThat(caughtUp.at("/speed/delayMs").asLong()).isNotNegative();
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
        }
    }

    /** Bare Finnhub frames 100 ms apart, several trades of a symbol per millisecond, every 25th frame 3 s late. */
    private static List<String> frames()
    {
        List<String> lines = new ArrayList<>();
        long start = System.currentTimeMillis() - 600_000;
        for (int frame = 0; frame < FRAMES; frame++) {
            long ts = start + frame * 100L - (frame % 25 == 24 ? 3_000 : 0);
            StringBuilder text = new StringBuilder("{\"data\":[");
            for (int trade = 0; trade < TRADES_PER_FRAME; trade++) {
                text.append(trade == 0 ? "" : ",").append("{\"p\":").append(100 + frame * 0.01 + trade % 5 * 0.1).append(",\"s\":\"S").append(trade % 7)
                        .append("\",\"t\":").append(ts).append(",\"v\":").append(trade + 1).append("}");
            }
            lines.add(text.append("],\"type\":\"trade\"}").toString());
        }
        return lines;
    }

    private static long count(PostgresConnection postgres)
            throws Exception
    {
        return query(postgres, "SELECT count(*) FROM lambda.speed_trades");
    }

    private static long query(PostgresConnection postgres, String sql)
            throws Exception
    {
        try (Connection connection = postgres.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
