package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.config.ServingConfig;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live push: every trade a speed commit inserts reaches a connected client once, with its minute
 * candle; a client that reconnects with Last-Event-ID gets what it missed once; a client that stops
 * reading is dropped and never holds the others back.
 */
@ExtendWith(SharedPostgres.class)
class LiveStreamIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = java.time.Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    @Test
    void eachCommittedTradeReachesAClientOnceAndAResumedClientGetsWhatItMissed(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "live_stream");
        ServingData data = new ServingData(database);
        Offsets offsets = new Offsets();
        try (ServingServer server = start(database, 256)) {
            String url = "http://127.0.0.1:" + server.port() + "/api/v1/stream";
            List<SentTrade> sent = new ArrayList<>();
            String lastId;
            try (SseEvents client = new SseEvents(url, null); SseEvents apple = new SseEvents(url + "?symbols=AAPL", null)) {
                assertThat(client.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> server.listening() && server.streamClients() == 2);
                for (int commit = 0; commit < 20; commit++) {
                    List<SentTrade> trades = offsets.trades(commit, 25);
                    data.speed(trades);
                    sent.addAll(trades);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> received(client).size() >= sent.size());
                assertThat(received(client)).containsExactlyInAnyOrderElementsOf(keys(sent));
                assertThat(received(apple)).containsExactlyInAnyOrderElementsOf(keys(sent.stream().filter(t -> t.trade().symbol().equals("AAPL")).toList()));
                JsonNode candles = JSON.readTree(client.named("candles").get(client.named("candles").size() - 1).data()).at("/candles");
                assertThat(candles.size()).isPositive();
                assertThat(candles.get(0).at("/source").asText()).isEqualTo("speed");
                lastId = client.named("trades").get(client.named("trades").size() - 1).id();
            }
            // A client that went away is noticed at the next write at the latest: a keepalive every few seconds.
            await().atMost(Duration.ofSeconds(20)).until(() -> server.streamClients() == 0);

            List<SentTrade> missed = new ArrayList<>();
            for (int commit = 20; commit < 25; commit++) {
                List<SentTrade> trades = offsets.trades(commit, 25);
                data.speed(trades);
                missed.addAll(trades);
            }
            try (SseEvents resumed = new SseEvents(url, lastId)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> received(resumed).size() >= missed.size());
                List<SentTrade> live = offsets.trades(25, 25);
                data.speed(live);
                missed.addAll(live);
                await().atMost(Duration.ofSeconds(10)).until(() -> received(resumed).size() >= missed.size());
                Thread.sleep(300);
                assertThat(received(resumed)).containsExactlyInAnyOrderElementsOf(keys(missed));
            }
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWhileTheOthersKeepUp(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "live_stream_slow");
        ServingData data = new ServingData(database);
        Offsets offsets = new Offsets();
        try (ServingServer server = start(database, 8); Socket stalled = new Socket("127.0.0.1", server.port())) {
            stalled.setReceiveBufferSize(4096);
            OutputStream request = stalled.getOutputStream();
            request.write("GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            request.flush();
            String url = "http://127.0.0.1:" + server.port() + "/api/v1/stream";
            try (SseEvents reading = new SseEvents(url, null)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> server.listening() && server.streamClients() == 2);
                List<SentTrade> sent = new ArrayList<>();
                // Large commits: the stalled client's socket buffers fill and its queue overflows.
                for (int commit = 0; commit < 150; commit++) {
                    List<SentTrade> trades = offsets.trades(commit, 500);
                    data.speed(trades);
                    sent.addAll(trades);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> received(reading).size() >= sent.size());
                assertThat(received(reading)).containsExactlyInAnyOrderElementsOf(keys(sent));
                await("the stalled client dropped").atMost(Duration.ofSeconds(30)).until(() -> server.streamClients() == 1);
                java.net.http.HttpResponse<String> metrics = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).contains("lambda_stream_dropped_clients 1.0");
            }
        }
    }

    private ServingServer start(PostgresConnection database, int buffer)
    {
        return ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, buffer, true, ""), database, StatusSource.NONE, AdminToken.resolve(Optional.of("t"), dataDir),
                request -> null, Clock.systemUTC());
    }

    private static List<String> received(SseEvents client)
            throws Exception
    {
        List<String> keys = new ArrayList<>();
        for (SseEvents.Event event : client.named("trades")) {
            for (JsonNode trade : JSON.readTree(event.data()).at("/trades")) {
                keys.add(trade.at("/partition").asInt() + ":" + trade.at("/offset").asLong());
            }
        }
        return keys;
    }

    private static List<String> keys(List<SentTrade> trades)
    {
        return trades.stream().map(sent -> sent.partition() + ":" + sent.offset()).toList();
    }

    /** Trades as Kafka would number them: per partition, offsets in order. */
    private static final class Offsets
    {
        private final Map<Integer, Long> next = new HashMap<>();

        List<SentTrade> trades(int commit, int count)
        {
            List<SentTrade> trades = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String symbol = i % 3 == 0 ? "AAPL" : i % 3 == 1 ? "MSFT" : "BINANCE:BTCUSDT";
                int partition = i % 3;
                long ts = START + commit * 1_000L + i;
                long offset = next.merge(partition, 1L, Long::sum) - 1;
                trades.add(new SentTrade(new Trade(symbol, 100 + i % 7, 1 + i % 5, ts, List.of("1"), "simulate", ts), partition, offset));
            }
            return trades;
        }
    }
}
