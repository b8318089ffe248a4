package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.StatusFigures;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.config.ServingConfig;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP API over real merged views in PostgreSQL: every answer agrees with the views, bad input is a 400 or 404 naming what is wrong. */
@ExtendWith(SharedPostgres.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServingApiIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T15:30:00Z");
    private static final long DAY = 86_400_000L;
    /** What /metrics exports: a healthy system whose speed layer was restarted twice and whose scheduler is down. */
    private static final StatusFigures RUNNING = new StatusFigures(true, StatusFigures.Ingest.UNKNOWN, new StatusFigures.Speed(15, 0, 1000), Double.NaN, 1200, 0, 1e9,
            Map.of("speed", new StatusFigures.Layer(true, 2), "scheduler", new StatusFigures.Layer(false, 0)));

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<BatchRunRequest> triggered = new CopyOnWriteArrayList<>();
    private PostgresConnection database;
    private ServingServer server;
    private String base;
    private Instant newestTrade;
    @TempDir
    Path dataDir;

    @BeforeAll
    void start(EmbeddedPostgresServer postgres)
            throws Exception
    {
        database = TestDatabases.fresh(postgres, "serving_api");
        // Three days of trades of two symbols; the first two days published, the third the speed layer's.
        List<SentTrade> trades = new ArrayList<>();
        long first = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 3 * 48; i++) {
            long ts = first + i * (DAY / 48) + 1_000;
            trades.add(new SentTrade(new Trade("AAPL", 100 + i, 10, ts, List.of(), "simulate", ts), 0, i));
            trades.add(new SentTrade(new Trade("OANDA:EUR_USD", 1.05 + i / 1000.0, 0, ts, List.of(), "simulate", ts), 1, i));
        }
        newestTrade = Instant.ofEpochMilli(trades.stream().mapToLong(sent -> sent.trade().ts()).max().orElseThrow());
        ServingData data = new ServingData(database);
        data.speed(trades);
        data.publish(trades, Instant.parse("2026-11-26T00:00:00Z"));
        server = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 16, true, ""), database, () -> new StatusSource.Status(Map.of("healthy", true, "layers", Map.of()), RUNNING),
                AdminToken.resolve(Optional.of("s3cret"), dataDir), request -> {
                    triggered.add(request);
                    return new BatchTrigger.Submitted("lambda batch run " + String.join(" ", request.options()), "batch.out");
                }, Clock.fixed(NOW, ZoneOffset.UTC));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    void stop()
    {
        server.close();
    }

    @Test
    void symbolsAreTheLatestViewWithChangeAgainstThePreviousDaysClose()
            throws Exception
    {
        JsonNode symbols = get("/api/v1/symbols", 200).at("/symbols");
        assertThat(symbols).hasSize(2);
        JsonNode apple = symbols.get(0);
        assertThat(apple.at("/symbol").asText()).isEqualTo("AAPL");
        // Its last trade is number 143 (price 243); the previous day closed at trade 95 (price 195).
        assertThat(apple.at("/price").asDouble()).isEqualTo(243);
        assertThat(apple.at("/previousClose").asDouble()).isEqualTo(195);
        assertThat(apple.at("/change").asDouble()).isEqualTo(48);
        assertThat(apple.at("/pctChange").asDouble()).isCloseTo(100.0 * 48 / 195, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(apple.at("/dayVolume").asDouble()).isEqualTo(480);
        assertThat(apple.at("/date").asText()).isEqualTo("2026-11-26");
        assertThat(apple.at("/sparkline").size()).isEqualTo(24);
        assertThat(symbols.get(1).at("/dayVwap").isNull() || symbols.get(1).at("/dayVwap").isMissingNode()).as("no vwap at volume 0").isTrue();
        JsonNode freshness = get("/api/v1/symbols", 200).at("/freshness");
        assertThat(freshness.at("/cutoff").asText()).isEqualTo("2026-11-26T00:00:00Z");
        assertThat(Instant.parse(freshness.at("/lastTradeAt").asText())).as("the newest trade committed").isEqualTo(newestTrade);
        assertThat(freshness.at("/lateTrades").asLong()).isZero();
    }

    @Test
    void aggregateEndpointsAnswerWhatTheServingViewsHold()
            throws Exception
    {
        assertAgrees("/api/v1/symbols/AAPL/daily?from=2026-11-24&to=2026-11-26", "serving_daily", "2026-11-24T00:00:00Z", "2026-11-27T00:00:00Z", "AAPL");
        assertAgrees("/api/v1/symbols/AAPL/hourly?from=2026-11-25T12:00:00Z&to=2026-11-26T12:00:00Z", "serving_hourly", "2026-11-25T12:00:00Z",
                "2026-11-26T12:00:00Z", "AAPL");
        assertAgrees("/api/v1/symbols/" + URLEncoder.encode("OANDA:EUR_USD", StandardCharsets.UTF_8) + "/candles?interval=1m&from=2026-11-25T23:00:00Z&to=2026-11-26T01:00:00Z",
                "serving_minute", "2026-11-25T23:00:00Z", "2026-11-26T01:00:00Z", "OANDA:EUR_USD");
        JsonNode daily = get("/api/v1/symbols/AAPL/daily?from=2026-11-24&to=2026-11-26", 200).at("/rows");
        assertThat(daily.findValuesAsText("source")).containsExactly("batch", "batch", "speed");
        assertThat(daily.findValuesAsText("date")).containsExactly("2026-11-24", "2026-11-25", "2026-11-26");
        // Defaults: the 30 days up to today (the clock's), bucket order.
        assertThat(get("/api/v1/symbols/AAPL/daily", 200).at("/rows").size()).isEqualTo(3);
        assertThat(get("/api/v1/symbols/AAPL/candles?interval=1d", 200).at("/rows").size()).isEqualTo(3);
        // A known symbol with nothing in the range is an empty answer, not the unknown symbol's 404.
        assertThat(get("/api/v1/symbols/AAPL/daily?from=2020-01-01&to=2020-01-31", 200).at("/rows").size()).isZero();
    }

    @Test
    void latestTradesCarryTheirChangeAgainstThePreviousTrade()
            throws Exception
    {
        JsonNode trades = get("/api/v1/symbols/AAPL/trades?limit=3", 200).at("/trades");
        assertThat(trades).hasSize(3);
        assertThat(trades.get(0).at("/price").asDouble()).isEqualTo(243);
        assertThat(trades.get(0).at("/priceChange").asDouble()).isEqualTo(1);
        assertThat(trades.get(0).at("/pctChange").asDouble()).isCloseTo(100.0 / 242, org.assertj.core.api.Assertions.within(1e-12));
    }

    /**
     * With its cache off (what a BI tool's load costs) the API writes each answer straight into the
     * response instead of encoding it whole first: the same answers, the same errors.
     */
    @Test
    void withItsCacheOffTheApiAnswersWhatTheCachedOneDoes()
            throws Exception
    {
        try (ServingServer uncached = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 16, false, ""), database, StatusSource.NONE,
                AdminToken.resolve(Optional.of("s3cret"), dataDir), request -> null, Clock.fixed(NOW, ZoneOffset.UTC))) {
            String uncachedBase = "http://127.0.0.1:" + uncached.port();
            for (String path : List.of("/api/v1/symbols/AAPL/daily?from=2026-11-24&to=2026-11-26", "/api/v1/symbols/AAPL/hourly?from=2026-11-25T12:00:00Z&to=2026-11-26T12:00:00Z",
                    "/api/v1/symbols/AAPL/candles?interval=1m&from=2026-11-25T23:00:00Z&to=2026-11-26T01:00:00Z", "/api/v1/symbols/AAPL/trades?limit=5")) {
                JsonNode answer = get(uncachedBase, path, 200);
                assertThat(answer.toString()).as(path).isEqualTo(get(path, 200).toString());
                assertThat(answer.findValues("price").size() + answer.at("/rows").size()).as(path).isPositive();
            }
            JsonNode symbols = get(uncachedBase, "/api/v1/symbols", 200);
            JsonNode cachedSymbols = get("/api/v1/symbols", 200);
            assertThat(symbols.at("/symbols")).hasSize(2).isEqualTo(cachedSymbols.at("/symbols"));
            // The freshness row comes apart from the symbols' rows: the same figures, but the feed's silence, which runs on.
            for (String figure : List.of("/cutoff", "/cutoffMs", "/period", "/lastTradeAt", "/lastTradeMs", "/lastCommitAt", "/speedDelayMs", "/lateTrades")) {
                assertThat(symbols.at("/freshness" + figure)).as(figure).isEqualTo(cachedSymbols.at("/freshness" + figure));
            }
            assertThat(symbols.at("/freshness/cutoff").asText()).isEqualTo("2026-11-26T00:00:00Z");
            assertThat(get(uncachedBase, "/api/v1/symbols/NOPE/daily", 404).at("/detail").asText()).contains("NOPE");
        }
    }

    @Test
    void badInputIsA400Or404NamingTheParameterNeverA500()
            throws Exception
    {
        String apple = "/api/v1/symbols/AAPL";
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("/api/v1/symbols/NOPE/daily", "404 symbol");
        bad.put("/api/v1/symbols/NOPE/hourly", "404 symbol");
        bad.put("/api/v1/symbols/NOPE/candles?interval=1d", "404 symbol");
        bad.put("/api/v1/symbols/NOPE/trades", "404 symbol");
        bad.put("/api/v1/symbols/" + "X".repeat(65) + "/daily", "400 symbol");
        bad.put(apple + "/daily?from=2026-13-01", "400 from");
        bad.put(apple + "/daily?to=yesterday", "400 to");
        bad.put(apple + "/daily?from=2026-11-26&to=2026-11-24", "400 from");
        bad.put(apple + "/daily?from=1900-01-01&to=2026-11-26", "400 to");
        bad.put(apple + "/hourly?from=2026-11-26T10:00:00Z&to=2026-11-26T09:00:00Z", "400 from");
        bad.put(apple + "/hourly?from=2020-01-01&to=2026-01-01", "400 to");
        bad.put(apple + "/hourly?from=noon", "400 from");
        bad.put(apple + "/candles?interval=5m", "400 interval");
        bad.put(apple + "/candles?interval=1m&from=2026-01-01&to=2026-11-26", "400 to");
        bad.put(apple + "/trades?limit=0", "400 limit");
        bad.put(apple + "/trades?limit=1001", "400 limit");
        bad.put(apple + "/trades?limit=ten", "400 limit");
        bad.put("/api/v1/batch/runs?limit=-1", "400 limit");
        bad.put("/api/v1/nothing", "404 not found");
        for (Map.Entry<String, String> request : bad.entrySet()) {
            int status = Integer.parseInt(request.getValue().substring(0, 3));
            JsonNode error = get(request.getKey(), status);
            assertThat(error.at("/error").asText()).as(request.getKey()).contains(request.getValue().substring(4));
            assertThat(error.at("/detail").asText()).as(request.getKey()).isNotBlank();
        }
        HttpResponse<String> stream = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/stream")).header("Last-Event-ID", "garbage").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(stream.body()).at("/error").asText()).contains("Last-Event-ID");
    }

    @Test
    void theOpenApiDescriptionListsExactlyTheRoutes()
            throws Exception
    {
        JsonNode paths = get("/api/openapi.json", 200).at("/paths");
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> entry : paths.properties()) {
            entry.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + entry.getKey()));
        }
        assertThat(documented).isEqualTo(new TreeSet<>(server.routes()));
    }

    @Test
    void healthAndMetrics()
            throws Exception
    {
        assertThat(get("/health/live", 200).at("/status").asText()).isEqualTo("live");
        assertThat(get("/health/ready", 200).at("/status").asText()).isEqualTo("ready");
        get("/api/v1/symbols", 200);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("lambda_http_requests_seconds_count{method=\"GET\",route=\"/api/v1/symbols\",status=\"200\"}",
                "lambda_stream_clients", "lambda_healthy 1.0", "lambda_layer_up{layer=\"speed\"} 1.0", "lambda_layer_restarts{layer=\"speed\"} 2.0",
                "lambda_layer_up{layer=\"scheduler\"} 0.0", "lambda_speed_delay_ms 15.0", "lambda_topic_trades_records 1200.0", "lambda_batch_late_trades NaN");
        assertThat(get("/api/v1/status", 200).at("/healthy").asBoolean()).isTrue();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.body()).contains("<title>lambda-trades</title>", "/webjars/echarts/5.3.1/dist/echarts.min.js");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/webjars/echarts/5.3.1/dist/echarts.min.js")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    @Test
    void withPostgresDownReadinessFailsAndRequestsAre503NotHangs()
            throws Exception
    {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        PostgresConnection dead = new PostgresConnection("jdbc:postgresql://127.0.0.1:" + deadPort + "/postgres", "postgres", "");
        try (ServingServer down = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 16, true, ""), dead, StatusSource.NONE, AdminToken.resolve(Optional.of("t"), dataDir),
                request -> null, Clock.systemUTC())) {
            String url = "http://127.0.0.1:" + down.port();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(503);
            HttpResponse<String> symbols = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/symbols")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(symbols.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(symbols.body()).at("/error").asText()).isEqualTo("PostgreSQL does not answer");
        }
    }

    @Test
    void triggeringARunNeedsTheAdminToken()
            throws Exception
    {
        assertThat(post(null, "{}").statusCode()).isEqualTo(401);
        assertThat(post("Bearer wrong", "{}").statusCode()).isEqualTo(401);
        assertThat(post("Basic s3cret", "{}").statusCode()).isEqualTo(401);
        HttpResponse<String> badBody = post("Bearer s3cret", "[1]");
        assertThat(badBody.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badBody.body()).at("/error").asText()).contains("body");
        assertThat(JSON.readTree(post("Bearer s3cret", "{\"from\": \"2026-11-25\", \"to\": \"2026-11-24\"}").body()).at("/error").asText()).contains("from");
        assertThat(JSON.readTree(post("Bearer s3cret", "{\"period\": \"2026-11-20\", \"to\": \"2026-11-24\"}").body()).at("/error").asText()).contains("period");
        assertThat(JSON.readTree(post("Bearer s3cret", "{\"day\": \"2026-11-20\"}").body()).at("/error").asText()).contains("day");
        assertThat(triggered).isEmpty();

        HttpResponse<String> accepted = post("Bearer s3cret", "{\"from\": \"2026-11-24\", \"to\": \"2026-11-25\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).at("/run").asText()).isEqualTo("lambda batch run --from 2026-11-24 --to 2026-11-25");
        assertThat(post("Bearer s3cret", "").statusCode()).isEqualTo(202);
        assertThat(triggered).extracting(BatchRunRequest::options).containsExactly(List.of("--from", "2026-11-24", "--to", "2026-11-25"), List.of());
    }

    @Test
    void theReaderRoleSelectsTheServingViewsAndNothingElse()
            throws Exception
    {
        ReaderRole.apply(database, "reader-pass");
        Properties credentials = new Properties();
        credentials.setProperty("user", ReaderRole.NAME);
        credentials.setProperty("password", "reader-pass");
        try (Connection reader = DriverManager.getConnection(database.jdbcUrl(), credentials); Statement statement = reader.createStatement()) {
            for (String view : List.of("serving_daily", "serving_hourly", "serving_minute", "serving_latest")) {
                try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM lambda." + view)) {
                    rows.next();
                    assertThat(rows.getLong(1)).as(view).isPositive();
                }
            }
            assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM lambda.speed_trades")).hasMessageContaining("permission denied");
            // A BI tool's session plans the views without JIT compilation (hundreds of ms a query where PostgreSQL has LLVM).
            try (ResultSet jit = statement.executeQuery("SHOW jit")) {
                jit.next();
                assertThat(jit.getString(1)).isEqualTo("off");
            }
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM lambda.batch_daily")).hasMessageContaining("permission denied");
        }
        ReaderRole.apply(database, "");
        assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), credentials)).isInstanceOf(SQLException.class);
    }

    private void assertAgrees(String path, String view, String from, String to, String symbol)
            throws Exception
    {
        JsonNode rows = get(path, 200).at("/rows");
        assertThat(rows.size()).as(path).isPositive();
        try (Connection connection = database.open(); Statement statement = connection.createStatement(); ResultSet expected = statement.executeQuery(
                "SELECT bucket, open, high, low, close, volume, trades, notional, vwap, source FROM lambda." + view + " WHERE symbol = '" + symbol
                        + "' AND bucket >= '" + from + "' AND bucket < '" + to + "' ORDER BY bucket")) {
            int i = 0;
            while (expected.next()) {
                JsonNode row = rows.get(i++);
                assertThat(row.at("/symbol").asText()).isEqualTo(symbol);
                assertThat(Instant.parse(row.at("/bucket").asText())).isEqualTo(expected.getObject(1, java.time.OffsetDateTime.class).toInstant());
                assertThat(row.at("/open").asDouble()).isEqualTo(expected.getDouble(2));
                assertThat(row.at("/high").asDouble()).isEqualTo(expected.getDouble(3));
                assertThat(row.at("/low").asDouble()).isEqualTo(expected.getDouble(4));
                assertThat(row.at("/close").asDouble()).isEqualTo(expected.getDouble(5));
                assertThat(row.at("/volume").asDouble()).isEqualTo(expected.getDouble(6));
                assertThat(row.at("/trades").asLong()).isEqualTo(expected.getLong(7));
                assertThat(row.at("/notional").asDouble()).isEqualTo(expected.getDouble(8));
                Object vwap = expected.getObject(9);
                assertThat(row.has("vwap")).isEqualTo(vwap != null);
                assertThat(row.at("/source").asText()).isEqualTo(expected.getString(10));
            }
            assertThat(i).as(path + " rows").isEqualTo(rows.size());
        }
    }

    private JsonNode get(String path, int status)
            throws Exception
    {
        return get(base, path, status);
    }

    private JsonNode get(String server, String path, int status)
            throws Exception
    {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> post(String authorization, String body)
            throws Exception
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/batch/runs")).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
