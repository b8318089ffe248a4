package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.Ports;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static io.lambdatrades.launcher.SystemProbe.query;
import static io.lambdatrades.launcher.SystemProbe.readAggregates;
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

    private final Random random = new Random(42);
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private long badRecords;

    @Test
    void everyMergedAggregateEqualsTheDeliveredTradesThroughFaults()
            throws Exception
    {
        int port = Ports.free();
        long today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                LambdaProcess up = LambdaProcess.start(Map.of("FINNHUB_TOKEN", TOKEN, "LAMBDA_BATCH_AUDIT", "true", "LAMBDA_BATCH_RETRY_BACKOFF", "1s"),
                        "up", "--data-dir", dataDir.toString(), "--source", "finnhub", "--symbols", String.join(",", SYMBOLS),
                        "--finnhub-url", server.url().toString(), "--port", Integer.toString(port))) {
            awaitSubscribed(server, 1);

            // Three past days and today so far, with a dropped connection halfway and bad frames among the trades.
            long historyStart = today - 3 * DAY;
            long historySpan = System.currentTimeMillis() - 2 * MINUTE - historyStart;
            for (int frame = 0; frame < 160; frame++) {
                if (frame == 80) {
                    awaitInKafka();
                    server.current().drop();
                    awaitSubscribed(server, 2);
                }
                sendTradeFrame(server, historyStart + historySpan * frame / 160, historySpan / 160);
                if (frame % 20 == 7) {
                    sendBadFrames(server);
                }
            }
            awaitInKafka();

            // The scheduler closes the three past days by itself, in one catch-up run that ends with an audit.
            JsonNode status = awaitStatus(dataDir, json -> json.at("/batch/cutoff").asText().equals(Instant.ofEpochMilli(today).toString()), Duration.ofMinutes(8));
            PostgresConnection postgres = new PostgresConnection(status.at("/postgres/jdbcUrl").asText(), "postgres", "");
            await().atMost(Duration.ofMinutes(3)).until(() -> query(postgres, "SELECT count(*) FROM lambda.batch_runs WHERE state <> 'success'").equals(List.of("0")));
            assertThat(query(postgres, "SELECT count(*) || ' ' || sum(audit_differences) FROM lambda.batch_runs")).containsExactly("1 0");

            // Live ingest, during which the speed and serving layers are killed and a late trade for yesterday arrives.
            AtomicBoolean live = new AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                while (live.get()) {
                    sendTradeFrame(server, System.currentTimeMillis() - 50, 40);
                    // A live feed's pace: about 150 trades a second.
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            }, "live-feed");
            sender.start();
            try {
                killAndAwaitRestart("speed");
                sendFrame(server, List.of(trade("AAPL", 187.5, 3, today - DAY + 7 * HOUR)));
                killAndAwaitRestart("serving");
                freezePostgresFor(Duration.ofSeconds(30));
            }
            finally {
                live.set(false);
                sender.join();
            }
            awaitInKafka();
            assertThat(awaitStatus(dataDir, json -> true, Duration.ofSeconds(30)).at("/topics/trades.dlq/records").asLong()).isEqualTo(badRecords);

            String bootstrapServers = status.at("/kafka/bootstrapServers").asText();
            List<SentTrade> inKafka = KafkaTopics.readTrades(bootstrapServers, "trades");
            assertThat(counted(inKafka.stream().map(sent -> key(sent.trade().symbol(), sent.trade().price(), sent.trade().volume(), sent.trade().ts())).toList()))
                    .as("each delivered trade in Kafka once").isEqualTo(counted(delivered));

            // The next run absorbs what is left and recomputes yesterday for its late trade.
            LambdaProcess.Result run = LambdaProcess.run(Map.of(), "batch", "run", "--data-dir", dataDir.toString());
            assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
            LambdaProcess.Result master = LambdaProcess.run(Map.of(), "sql", "--data-dir", dataDir.toString(),
                    "SELECT count(*) AS trades, count(DISTINCT kafka_partition, kafka_offset) AS distinct_offsets FROM lambda.trades_raw");
            assertThat(master.exitCode()).as(master.stderr()).isZero();
            assertThat(master.stdout()).as("each trade in the master dataset once").containsPattern("\\b" + delivered.size() + "\\s*\\|?\\s*" + delivered.size() + "\\b");

            Map<String, Map<String, Aggregate>> expected = Map.of(
                    "minute", ExpectedAggregates.of(inKafka, MINUTE, Long.MAX_VALUE),
                    "hourly", ExpectedAggregates.of(inKafka, HOUR, Long.MAX_VALUE),
                    "daily", ExpectedAggregates.of(inKafka, DAY, Long.MAX_VALUE));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
                try (Connection connection = postgres.open()) {
                    for (Map.Entry<String, Map<String, Aggregate>> view : expected.entrySet()) {
                        ExpectedAggregates.assertSame(view.getValue(), ExpectedAggregates.read(connection,
                                "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.serving_" + view.getKey()));
                    }
                }
            });
            String api = "http://127.0.0.1:" + port + "/api/v1/symbols/";
            String from = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
            String to = LocalDate.now(ZoneOffset.UTC).toString();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Map<String, Aggregate> daily = new TreeMap<>();
                Map<String, Aggregate> hourly = new TreeMap<>();
                Map<String, Aggregate> minute = new TreeMap<>();
                for (String symbol : SYMBOLS) {
                    String path = api + URLEncoder.encode(symbol, StandardCharsets.UTF_8);
                    readAggregates(get(path + "/daily?from=" + from + "&to=" + to), daily);
                    readAggregates(get(path + "/candles?interval=1h&from=" + from + "T00:00:00Z&to=" + to + "T23:59:59Z"), hourly);
                    readAggregates(get(path + "/candles?interval=1m&from=" + from + "T00:00:00Z&to=" + to + "T23:59:59Z"), minute);
                }
                ExpectedAggregates.assertSame(expected.get("daily"), daily);
                ExpectedAggregates.assertSame(expected.get("hourly"), hourly);
                ExpectedAggregates.assertSame(expected.get("minute"), minute);
            });

            LambdaProcess.Result audit = LambdaProcess.run(Map.of(), "audit", "--data-dir", dataDir.toString());
            assertThat(audit.exitCode()).as(audit.stdout() + audit.stderr()).isZero();
            assertThat(audit.stdout()).contains("the serving views equal the trades");
            LambdaProcess.Result auditToday = LambdaProcess.run(Map.of(), "audit", "--date", to, "--data-dir", dataDir.toString());
            assertThat(auditToday.exitCode()).as(auditToday.stdout() + auditToday.stderr()).isZero();
            assertThat(query(postgres, "SELECT count(*) FILTER (WHERE state = 'success' AND audit_differences = 0) = count(*) FROM lambda.batch_runs")).containsExactly("t");

            JsonNode after = awaitStatus(dataDir, json -> json.at("/healthy").asBoolean(), Duration.ofMinutes(1));
            assertThat(after.at("/layers/speed/restarts").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(after.at("/layers/serving/restarts").asLong()).isGreaterThanOrEqualTo(1);
            assertThat(get("http://127.0.0.1:" + port + "/metrics")).contains("lambda_layer_restarts{layer=\"speed\"}");
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
     * then lets it go on (SIGCONT). A restart from outside is not possible here: the server refuses to
     * be started by root other than through the embedded launcher.
     */
    private void freezePostgresFor(Duration outage)
            throws Exception
    {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
        List<String> pids = new ArrayList<>(List.of(Long.toString(postmaster)));
        ProcessHandle.of(postmaster).orElseThrow().children().forEach(backend -> pids.add(Long.toString(backend.pid())));
        signal("-STOP", pids);
        try {
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
        assertThat(new ProcessBuilder(command).start().waitFor()).isZero();
    }

    private void sendTradeFrame(FinnhubProtocolServer server, long from, long span)
    {
        List<String> trades = new ArrayList<>();
        int count = 5 + random.nextInt(20);
        long ts = from;
        for (int i = 0; i < count; i++) {
            // Bursts in one millisecond, and some trades out of order.
            ts = random.nextInt(4) == 0 ? ts : from + random.nextLong(Math.max(1, span));
            String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            double volume = symbol.startsWith("OANDA:") ? 0 : Math.round(random.nextDouble() * 1_000) / 100.0;
            trades.add(trade(symbol, Math.round((100 + 10 * random.nextGaussian()) * 100) / 100.0, volume, ts));
        }
        sendFrame(server, trades);
    }

    private String trade(String symbol, double price, double volume, long ts)
    {
        delivered.add(key(symbol, price, volume, ts));
        return String.format(Locale.ROOT, "{\"p\":%s,\"s\":\"%s\",\"t\":%d,\"v\":%s,\"c\":[\"1\"]}", price, symbol, ts, volume);
    }

    private synchronized void sendFrame(FinnhubProtocolServer server, List<String> trades)
    {
        server.current().send("{\"type\":\"trade\",\"data\":[" + String.join(",", trades) + "]}");
    }

    private void sendBadFrames(FinnhubProtocolServer server)
    {
        server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":-1,\"s\":\"AAPL\",\"t\":" + System.currentTimeMillis() + ",\"v\":1}]}");
        server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":1");
        server.current().send("{\"type\":\"ping\"}");
        badRecords += 2;
    }

    private void awaitInKafka()
    {
        awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() == delivered.size(), Duration.ofMinutes(2));
    }

    private static void awaitSubscribed(FinnhubProtocolServer server, int connections)
    {
        await().atMost(Duration.ofMinutes(2)).until(() -> server.connections().size() >= connections && server.current().isOpen()
                && server.current().subscriptions().size() == SYMBOLS.size());
    }

    private static String get(String url)
            throws Exception
    {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static String key(String symbol, double price, double volume, long ts)
    {
        return symbol + " " + price + " " + volume + " " + ts;
    }

    private static Map<String, Long> counted(List<String> keys)
    {
        Map<String, Long> counts = new HashMap<>();
        keys.forEach(key -> counts.merge(key, 1L, Long::sum));
        return counts;
    }
}
