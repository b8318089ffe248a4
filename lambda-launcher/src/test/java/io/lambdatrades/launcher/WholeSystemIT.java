package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.PortAllocator;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static io.lambdatrades.launcher.SystemProbe.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as a user runs it: {@code up} on a Finnhub-protocol feed that drops its connection
 * and sends bad frames, every layer running, the scheduler closing the past days by itself with an
 * audit after each publish, the speed and serving layers killed with -9 and PostgreSQL frozen for 30 s
 * during live ingest, and a late trade for a closed day. Then every merged minute, hourly and daily aggregate, in the serving views
 * and through the API, equals the aggregate computed from the trades the server delivered, each of
 * which is in Kafka once and in the master dataset once, and {@code lambda audit} agrees.
 */
class WholeSystemIT
{
    private static final String TOKEN = "whole-system-token";
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "BINANCE:BTCUSDT", "OANDA:EUR_USD");
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dataDir;

    @Test
    void everyMergedAggregateEqualsTheDeliveredTradesThroughFaults()
            throws Exception
    {
        int port = new PortAllocator().free();
        long today = UtcDay.stableFor(Duration.ofMinutes(8)).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                LambdaProcess up = LambdaProcess.start(Map.of("FINNHUB_TOKEN", TOKEN, "LAMBDA_BATCH_AUDIT", "true", "LAMBDA_BATCH_RETRY_BACKOFF", "1s",
                        "LAMBDA_BATCH_DELAY", UtcDay.NO_BATCH_DELAY),
                        "up", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", String.join(",", SYMBOLS),
                        "--finnhub-url", server.url().toString(), "--port", Integer.toString(port))) {
            DeliveringFeed feed = new DeliveringFeed(server, SYMBOLS, 42);
            feed.awaitSubscribed(1);

            // Three past days and today so far, with a dropped connection halfway and bad frames among the trades.
            long historyStart = today - 3 * DAY;
            long historySpan = System.currentTimeMillis() - 2 * MINUTE - historyStart;
            for (int frame = 0; frame < 160; frame++) {
                if (frame == 80) {
                    awaitInKafka(feed);
                    server.current().drop();
                    feed.awaitSubscribed(2);
                }
                feed.sendTradeFrame(historyStart + historySpan * frame / 160, historySpan / 160);
                if (frame % 20 == 7) {
                    feed.sendBadFrames();
                }
            }
            awaitInKafka(feed);

            // The scheduler closes the three past days by itself, in one catch-up run that ends with an audit.
            JsonNode status = awaitStatus(dataDir, json -> json.at("/batch/cutoff").asText().equals(Instant.ofEpochMilli(today).toString()), Duration.ofMinutes(8));
            PostgresConnection postgres = new PostgresConnection(status.at("/postgres/jdbcUrl").asText(), "postgres", "");
            await().atMost(Duration.ofMinutes(3)).until(() -> query(postgres, "SELECT count(*) FROM lambda.batch_runs WHERE state <> 'success'").equals(List.of("0")));
            assertThat(query(postgres, "SELECT count(*) || ' ' || sum(audit_differences) FROM lambda.batch_runs")).containsExactly("1 0");

            // Live ingest, during which the speed and serving layers are killed and a late trade for yesterday arrives.
            try (DeliveringFeed.Live live = feed.live()) {
                killAndAwaitRestart("speed");
                feed.sendTrade("AAPL", 187.5, 3, today - DAY + 7 * HOUR);
                killAndAwaitRestart("serving");
                freezePostgresFor(Duration.ofSeconds(30));
            }
            awaitInKafka(feed);
            assertThat(awaitStatus(dataDir, json -> true, Duration.ofSeconds(30)).at("/topics/trades.dlq/records").asLong()).isEqualTo(feed.badRecords());

            new ExactnessCheck(dataDir, Map.of(), SYMBOLS, port, 3).assertExact(feed, status.at("/kafka/bootstrapServers").asText(), "trades", postgres);

            JsonNode after = awaitStatus(dataDir, json -> json.at("/healthy").asBoolean(), Duration.ofMinutes(1));
            assertThat(after.at("/layers/speed/restarts").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(after.at("/layers/serving/restarts").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(ExactnessCheck.get("http://127.0.0.1:" + port + "/metrics")).contains("lambda_layer_restarts{layer=\"speed\"}");
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
        }
    }

    private void killAndAwaitRestart(String layer)
    {
        JsonNode before = awaitStatus(dataDir, json -> json.at("/layers/" + layer + "/state").asText().equals("running"), Duration.ofMinutes(2));
        long pid = before.at("/layers/" + layer + "/pid").asLong();
        // Let the layer work on the live feed for a moment first.
        awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() > before.at("/topics/trades/records").asLong() + 200, Duration.ofMinutes(1));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitStatus(dataDir, json -> json.at("/layers/" + layer + "/state").asText().equals("running") && json.at("/layers/" + layer + "/pid").asLong() != pid
                && json.at("/layers/" + layer + "/restarts").asLong() >= 1, Duration.ofMinutes(2));
    }

    /**
     * Freezes the embedded PostgreSQL, the server and every backend (SIGSTOP), while the feed goes on,
     * then lets it go on (SIGCONT). A real stop and start is {@link ExternalFaultsIT}'s, on a server from
     * the system's packages: the embedded one refuses to be started by root but through its launcher.
     */
    private void freezePostgresFor(Duration outage)
            throws Exception
    {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
        List<String> pids = new ArrayList<>(List.of(Long.toString(postmaster)));
        ProcessHandle.of(postmaster).orElseThrow().children().forEach(backend -> pids.add(Long.toString(backend.pid())));
        try {
            signal("-STOP", pids);
            // The outage itself: the feed goes on meanwhile and every layer must ride it out.
            LockSupport.parkNanos(outage.toNanos());
        }
        finally {
            signal("-CONT", pids);
        }
        awaitStatus(dataDir, json -> json.at("/postgres/state").asText().equals("up"), Duration.ofMinutes(1));
    }

    private static void signal(String signal, List<String> pids)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        command.addAll(pids);
        int exit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        // kill signals every pid that exists and fails if one does not: a backend may end between the listing and
        // the signal (a connection closed meanwhile), which is no failure; the postmaster must be there.
        long gone = pids.stream().filter(pid -> ProcessHandle.of(Long.parseLong(pid)).isEmpty()).count();
        assertThat(exit == 0 || gone > 0).as("kill %s %s", signal, pids).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(pids.get(0)))).as("the postmaster").isPresent();
    }

    private void awaitInKafka(DeliveringFeed feed)
    {
        awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() == feed.deliveredCount(), Duration.ofMinutes(2));
    }
}
