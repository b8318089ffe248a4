package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code bin/lambda up} as a user runs it, in a temporary data directory. */
class LambdaUpIT
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void upReachesIngestingReportsHealthyStopsCleanlyAndResumesWithoutRepeating()
            throws Exception
    {
        long recordsAfterFirstRun;
        try (LambdaProcess up = LambdaProcess.start(Map.of(), "up", "--data-dir", dataDir.toString(), "--history-days", "1", "--rate", "500")) {
            await().atMost(Duration.ofMinutes(3)).until(() -> up.stdout().contains("ingesting") && up.stdout().contains("Ctrl-C stops everything.") || !up.isAlive());
            assertThat(up.stdout()).contains("ingesting", "kafka", "postgres", "Ctrl-C stops everything.");

            JsonNode status = awaitHealthyAndLive();
            assertThat(status.at("/kafka/bootstrapServers").asText()).startsWith("127.0.0.1:");
            assertThat(status.at("/postgres/jdbcUrl").asText()).startsWith("jdbc:postgresql://127.0.0.1:");
            recordsAfterFirstRun = status.at("/topics/trades/records").asLong();
            // A day of history at ingest.history.rate (2 trades a simulated second), then the live market.
            assertThat(recordsAfterFirstRun).isGreaterThan(172_000);
            assertThat(status.at("/topics/trades.dlq/records").asLong()).isZero();
            assertThat(status.at("/layers/scheduler/state").asText()).isEqualTo("running");
            assertThat(status.at("/layers/scheduler/pid").asLong()).isPositive();
            assertThat(status.at("/layers/ingest/state").asText()).isEqualTo("running");
            // The ingester runs in a JVM of its own.
            assertThat(status.at("/layers/ingest/pid").asLong()).isPositive().isNotEqualTo(up.pid());
            assertDashboardServesTheLiveMarket(status);
            long postgresPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
            assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive)).contains(true);

            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
            assertThat(up.stdout()).contains("lambda up: stopped; everything ingested is in Kafka");
            assertThat(up.stderr()).isEmpty();
            // The postmaster removes its pid file, which pg_ctl waits for, just before it exits.
            await("PostgreSQL stopped with it").atMost(Duration.ofSeconds(30))
                    .until(() -> ProcessHandle.of(postgresPid).filter(ProcessHandle::isAlive).isEmpty());
        }

        LambdaProcess.Result stopped = LambdaProcess.run(Map.of(), "status", "--data-dir", dataDir.toString(), "--json");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(stopped.stdout()).at("/layers/ingest/state").asText()).isEqualTo("down");

        try (LambdaProcess up = LambdaProcess.startInProcessGroup(Map.of(), "up", "--data-dir", dataDir.toString(), "--history-days", "1", "--rate", "500")) {
            JsonNode status = awaitHealthyAndLive();
            // The second run continues after the log: it adds the minutes since the first stopped, not another day.
            assertThat(status.at("/ingest/trades").asLong()).isLessThan(100_000);
            assertThat(status.at("/topics/trades/records").asLong()).isGreaterThanOrEqualTo(recordsAfterFirstRun + status.at("/ingest/trades").asLong());
            // Ctrl-C at a terminal reaches the layers too: they leave their stop to up, and none is reported as exited or restarted.
            up.interruptProcessGroup();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
            assertThat(up.stdout()).contains("lambda up: stopped; everything ingested is in Kafka");
            assertThat(up.stderr()).isEmpty();
        }
    }

    @Test
    void aSecondUpOnTheSameDataDirectoryIsRefusedAndADiskLowOnSpaceIsWarnedOf()
    {
        // More free space required than any disk here has: up warns once, on its console.
        Map<String, String> demanding = new HashMap<>(LambdaProcess.INGEST_ONLY);
        demanding.put("LAMBDA_DATA_MIN_FREE_MB", Integer.toString(Integer.MAX_VALUE));
        try (LambdaProcess up = LambdaProcess.start(demanding, "up", "--data-dir", dataDir.toString())) {
            await().atMost(Duration.ofMinutes(3)).until(() -> up.stdout().contains("ingesting") && up.stdout().contains("Ctrl-C stops everything.") || !up.isAlive());
            await().atMost(Duration.ofSeconds(30)).until(() -> up.stderr().contains("data directory " + dataDir + ": "));
            assertThat(up.stderr().lines().filter(line -> line.contains("under data.min.free.mb")).count()).isEqualTo(1);

            LambdaProcess.Result second = LambdaProcess.run(Map.of(), "up", "--data-dir", dataDir.toString());

            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr()).isEqualTo("lambda: another 'lambda up' is running on data directory " + dataDir
                    + " (see 'lambda status --data-dir " + dataDir + "')");
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
        }
    }

    @Test
    void afterAKill9UpStartsAgainOnTheSameDataAndKeepsEveryAcknowledgedTrade()
            throws Exception
    {
        long recordsBeforeKill;
        try (LambdaProcess up = LambdaProcess.start(Map.of(), "up", "--data-dir", dataDir.toString(), "--rate", "2000")) {
            JsonNode status = awaitHealthyAndLive();
            recordsBeforeKill = status.at("/topics/trades/records").asLong();
            ProcessHandle ingest = ProcessHandle.of(status.at("/layers/ingest/pid").asLong()).orElseThrow();
            ProcessHandle speed = ProcessHandle.of(status.at("/layers/speed/pid").asLong()).orElseThrow();
            ProcessHandle serving = ProcessHandle.of(status.at("/layers/serving/pid").asLong()).orElseThrow();
            ProcessHandle scheduler = ProcessHandle.of(status.at("/layers/scheduler/pid").asLong()).orElseThrow();
            ProcessHandle postgres = ProcessHandle.of(Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim())).orElseThrow();
            up.kill();
            // Its child layers and its PostgreSQL notice that it is gone and stop: no orphan is left. The ingester's
            // flush to the broker that died with up would wait a minute: a layer gets 10 s, then halts.
            await("the ingester, the speed, scheduler and serving layers and PostgreSQL stop with up").atMost(Duration.ofSeconds(30))
                    .until(() -> !ingest.isAlive() && !speed.isAlive() && !serving.isAlive() && !scheduler.isAlive() && !postgres.isAlive());
        }

        try (LambdaProcess up = LambdaProcess.start(Map.of(), "up", "--data-dir", dataDir.toString(), "--rate", "2000")) {
            JsonNode status = awaitHealthyAndLive();
            // Every trade Kafka had acknowledged before the kill is still there, and so is every one this run had acknowledged.
            assertThat(status.at("/topics/trades/records").asLong()).isGreaterThanOrEqualTo(recordsBeforeKill + status.at("/ingest/trades").asLong());
            assertThat(status.at("/ingest/trades").asLong()).isPositive();
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
            assertThat(up.stderr()).doesNotContain("ERROR");
        }
    }

    /** The serving layer runs in a JVM of its own and answers with the page and the merged symbols. */
    private static void assertDashboardServesTheLiveMarket(JsonNode status)
            throws Exception
    {
        assertThat(status.at("/layers/serving/state").asText()).isEqualTo("running");
        assertThat(status.at("/layers/serving/pid").asLong()).isPositive();
        String url = status.at("/servingUrl").asText();
        assertThat(url).startsWith("http://127.0.0.1:");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>lambda-trades</title>");
        await("the merged symbol list").atMost(Duration.ofMinutes(2)).until(() -> {
            HttpResponse<String> symbols = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/symbols")).build(), HttpResponse.BodyHandlers.ofString());
            return symbols.statusCode() == 200 && JSON.readTree(symbols.body()).at("/symbols").size() == 14;
        });
    }

    /**
     * Healthy, live and the dashboard answering (its address published), as the status probe sees it once
     * a second in this JVM; then {@code lambda status --json} as a user runs it must say so with exit code 0.
     */
    private JsonNode awaitHealthyAndLive()
            throws Exception
    {
        SystemProbe.awaitStatus(dataDir, json -> json.at("/healthy").asBoolean() && json.at("/ingest/phase").asText().equals("live")
                && !json.at("/servingUrl").asText().isEmpty(), Duration.ofMinutes(3));
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "status", "--data-dir", dataDir.toString(), "--json");
        assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        JsonNode status = JSON.readTree(result.stdout());
        assertThat(status.at("/ingest/phase").asText()).isEqualTo("live");
        return status;
    }
}
