package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.common.config.FinnhubConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.ingest.testing.CapturedLogs;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(SharedKafka.class)
class FinnhubFeedIT
{
    private static final String TOKEN = "sk-test-5e3c2b1a9d";
    private static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD");
    private static final int BUFFER_FRAMES = 8;

    @Test
    void everyValidTradeLandsOnceInOrderAcrossDropsAndEveryBadOneInTheDeadLetters(EmbeddedKafka kafka)
            throws Exception
    {
        String topic = createTopics(kafka, "finnhub-trades");
        List<Trade> expected = new ArrayList<>();
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                CapturedLogs logs = new CapturedLogs();
                RunningFeed feed = RunningFeed.start(kafka, topic, server, SYMBOLS, Duration.ofSeconds(60))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !server.connections().isEmpty() && server.current().subscriptions().equals(SYMBOLS));

            server.current().send(trades(expected, "AAPL", 100, 1));
            server.current().send("{\"type\":\"ping\"}");
            server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":-3,\"s\":\"AAPL\",\"t\":1700000000000,\"v\":1},{\"p\":1,\"s\":\"\",\"t\":1700000000000,\"v\":1},{\"s\":\"AAPL\",\"t\":1700000000000,\"v\":1}]}");
            server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":1");
            server.current().send("{\"type\":\"news\",\"data\":[]}");
            server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":64000.5,\"s\":\"BINANCE:BTCUSDT\",\"t\":1700000000001,\"v\":0.5,\"c\":null},"
                    + "{\"p\":64000.6,\"s\":\"BINANCE:BTCUSDT\",\"t\":1700000000001,\"v\":0.25},{\"p\":1.08,\"s\":\"OANDA:EUR_USD\",\"t\":1700000000001,\"v\":0,\"c\":[\"1\"]}]}");
            expected.add(new Trade("BINANCE:BTCUSDT", 64000.5, 0.5, 1700000000001L, List.of(), "finnhub", 0));
            expected.add(new Trade("BINANCE:BTCUSDT", 64000.6, 0.25, 1700000000001L, List.of(), "finnhub", 0));
            expected.add(new Trade("OANDA:EUR_USD", 1.08, 0, 1700000000001L, List.of("1"), "finnhub", 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.metrics().snapshot().acknowledged() == expected.size());

            server.current().drop();
            await().atMost(Duration.ofSeconds(30)).until(() -> server.connections().size() == 2 && server.current().subscriptions().equals(SYMBOLS));
            server.current().send(trades(expected, "AAPL", 200, 1000));
            server.current().send(trades(expected, "BINANCE:BTCUSDT", 200, 1000));
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.metrics().snapshot().acknowledged() == expected.size());

            feed.stop();
            IngestMetrics.Snapshot metrics = feed.metrics().snapshot();
            assertThat(metrics.pings()).isEqualTo(1);
            assertThat(metrics.unknownMessages()).isEqualTo(1);
            assertThat(metrics.reconnects()).isEqualTo(1);
            assertThat(feed.metrics().lastTradeTsBySymbol()).containsOnlyKeys(SYMBOLS);
            assertThat(logs.text()).contains("Finnhub closed the connection", "Reconnecting to " + server.url())
                    .doesNotContain(TOKEN);
        }

        assertThat(bySymbol(readTrades(kafka, topic))).isEqualTo(bySymbol(expected));
        assertThat(readDeadLetters(kafka, topic)).extracting(DeadLetter::reason).containsExactlyInAnyOrder(
                "price must be finite and > 0, was -3.0", "symbol is empty", "price (p) is missing", "malformed JSON at column 31: Unexpected end-of-input: expected close marker for Object");
    }

    @Test
    void whileKafkaIsDownTradesWaitInBoundedBuffersAndAllArriveWhenItIsBack(@TempDir Path logDir)
            throws Exception
    {
        List<Trade> expected = new ArrayList<>();
        EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, 0);
        int port = kafka.port();
        int controllerPort = kafka.controllerPort();
        String topic = createTopics(kafka, "finnhub-outage");
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                RunningFeed feed = RunningFeed.start(kafka, topic, server, SYMBOLS, Duration.ofSeconds(600))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !server.connections().isEmpty() && server.current().subscriptions().equals(SYMBOLS));
            server.current().send(trades(expected, "AAPL", 10, 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.metrics().snapshot().acknowledged() == expected.size());

            kafka.close();
            for (int frame = 0; frame < 30; frame++) {
                server.current().send(trades(expected, SYMBOLS.get(frame % SYMBOLS.size()), 100, 10_000L * (frame + 1)));
                assertThat(feed.metrics().snapshot().bufferedFrames()).isLessThanOrEqualTo(BUFFER_FRAMES);
            }
            assertThat(feed.metrics().snapshot().acknowledged()).isEqualTo(10);

            kafka = EmbeddedKafka.start(logDir, port, controllerPort);
            await().atMost(Duration.ofMinutes(2)).until(() -> feed.metrics().snapshot().acknowledged() == expected.size());
            feed.stop();
            assertThat(bySymbol(readTrades(kafka, topic))).isEqualTo(bySymbol(expected));
        }
        finally {
            kafka.close();
        }
    }

    @Test
    void aSilentServerIsLeftAndEverySymbolSubscribedAgain(EmbeddedKafka kafka)
            throws Exception
    {
        String topic = createTopics(kafka, "finnhub-silent");
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401);
                CapturedLogs logs = new CapturedLogs();
                RunningFeed feed = RunningFeed.start(kafka, topic, server, SYMBOLS, Duration.ofSeconds(2))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> server.connections().size() >= 2 && server.current().subscriptions().equals(SYMBOLS));

            assertThat(logs.text()).contains("No frame from " + server.url());
            assertThat(server.connections().get(0).subscriptions()).isEqualTo(SYMBOLS);
        }
    }

    @Test
    void aTokenRefusedAtTheUpgradeStopsTheFeedWithOneLineAndNoRetries(EmbeddedKafka kafka)
            throws Exception
    {
        assertRefused(kafka, TokenRefusal.HTTP_401, "Finnhub refused the token (HTTP 401 at ws://127.0.0.1:", 1);
    }

    @Test
    void aTokenRefusedByAnErrorMessageStopsTheFeedToo(EmbeddedKafka kafka)
            throws Exception
    {
        // The server closes at once; a subscription the client writes meanwhile can meet a reset that
        // loses the error message unread (about 2% of runs on a loaded machine). That looks like a
        // network failure, so one retry after backoff is right; a second would be a loop.
        assertRefused(kafka, TokenRefusal.ERROR_AND_CLOSE, "Finnhub refused the token (Invalid API key)", 2);
    }

    @Test
    void subscriptionsPastTheServersLimitAreReportedBySymbol(EmbeddedKafka kafka)
            throws Exception
    {
        String topic = createTopics(kafka, "finnhub-limit");
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 2, TokenRefusal.HTTP_401);
                CapturedLogs logs = new CapturedLogs();
                RunningFeed feed = RunningFeed.start(kafka, topic, server, SYMBOLS, Duration.ofSeconds(60))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.text().contains("Finnhub refused 1 subscription(s)"));

            assertThat(logs.text()).contains("Finnhub refused 1 subscription(s) (Subscribing to too many symbols): no trades will come for [OANDA:EUR_USD]");
            assertThat(server.current().subscriptions()).containsExactly("AAPL", "BINANCE:BTCUSDT");
        }
    }

    private static void assertRefused(EmbeddedKafka kafka, TokenRefusal refusal, String message, int maxAttempts)
            throws Exception
    {
        String topic = createTopics(kafka, "finnhub-refused-" + refusal.name().toLowerCase());
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start("the-right-token", 50, refusal);
                CapturedLogs logs = new CapturedLogs();
                RunningFeed feed = RunningFeed.start(kafka, topic, server, SYMBOLS, Duration.ofSeconds(60))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !feed.isRunning());

            assertThat(feed.failure()).isInstanceOf(FeedRefusedException.class);
            assertThat(feed.failure().getMessage()).startsWith(message).doesNotContain(TOKEN);
            assertThat(server.refusedTokens()).as(logs.text()).containsOnly(TOKEN).hasSizeLessThanOrEqualTo(maxAttempts);
            assertThat(logs.text()).doesNotContain(TOKEN);
        }
    }

    private static String trades(List<Trade> expected, String symbol, int count, long startTs)
    {
        StringBuilder message = new StringBuilder("{\"type\":\"trade\",\"data\":[");
        for (int i = 0; i < count; i++) {
            long ts = 1_700_000_000_000L + startTs + i / 3;
            double price = 100 + i * 0.01;
            message.append(i == 0 ? "" : ",").append("{\"p\":").append(price).append(",\"s\":\"").append(symbol)
                    .append("\",\"t\":").append(ts).append(",\"v\":").append(i + 1).append(",\"c\":[\"1\"]}");
            expected.add(new Trade(symbol, price, i + 1, ts, List.of("1"), "finnhub", 0));
        }
        return message.append("]}").toString();
    }

    private static Map<String, List<Trade>> bySymbol(List<Trade> trades)
    {
        return trades.stream()
                .map(trade -> new Trade(trade.symbol(), trade.price(), trade.volume(), trade.ts(), trade.conditions(), trade.source(), 0))
                .collect(Collectors.groupingBy(Trade::symbol));
    }

    static String createTopics(EmbeddedKafka kafka, String topic)
            throws InterruptedException
    {
        return KafkaTopics.createTradeTopics(kafka, topic);
    }

    static List<Trade> readTrades(EmbeddedKafka kafka, String topic)
    {
        TradeCodec codec = new TradeCodec();
        return read(kafka, topic).stream().map(record -> codec.decode(record.value())).toList();
    }

    static List<DeadLetter> readDeadLetters(EmbeddedKafka kafka, String topic)
    {
        return read(kafka, topic + ".dlq").stream().map(DeadLetter::fromConsumerRecord).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafka kafka, String topic)
    {
        return KafkaTopics.readAll(kafka.bootstrapServers(), topic);
    }

    /** The Finnhub feed ingesting into Kafka on a thread of its own, as the ingest layer runs it. */
    static final class RunningFeed
            implements AutoCloseable
    {
        private final Thread thread;
        private final IngestMetrics metrics;
        private final AtomicReference<RuntimeException> failure;

        private RunningFeed(Thread thread, IngestMetrics metrics, AtomicReference<RuntimeException> failure)
        {
            this.thread = thread;
            this.metrics = metrics;
            this.failure = failure;
        }

        static RunningFeed start(EmbeddedKafka kafka, String topic, FinnhubProtocolServer server, List<String> symbols, Duration staleAfter)
        {
            IngestMetrics metrics = new IngestMetrics();
            FinnhubConfig config = new FinnhubConfig(server.url(), Optional.empty(), 50, staleAfter);
            FinnhubConnection connection = new FinnhubConnection(config, FinnhubToken.of(TOKEN), symbols, BUFFER_FRAMES, metrics, Clock.systemUTC());
            FinnhubFeed feed = new FinnhubFeed(connection, new FinnhubFrameParser("finnhub", new TradeValidator(Clock.systemUTC())), metrics);
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try (TradeProducer producer = new TradeProducer(kafka.bootstrapServers(), topic, topic + ".dlq", metrics)) {
                    new Ingester(feed, new TradeValidator(Clock.systemUTC()), producer).run();
                }
                catch (RuntimeException e) {
                    failure.set(e);
                }
            }, "test-feed");
            thread.start();
            return new RunningFeed(thread, metrics, failure);
        }

        IngestMetrics metrics()
        {
            return metrics;
        }

        boolean isRunning()
        {
            return thread.isAlive();
        }

        RuntimeException failure()
        {
            return failure.get();
        }

        void stop()
                throws InterruptedException
        {
            thread.interrupt();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).isFalse();
        }

        @Override
        public void close()
                throws InterruptedException
        {
            stop();
        }
    }
}
