package io.lambdatrades.bench;

import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.common.config.FinnhubConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.ingest.FinnhubConnection;
import io.lambdatrades.ingest.FinnhubFeed;
import io.lambdatrades.ingest.FinnhubFrame;
import io.lambdatrades.ingest.FinnhubFrameParser;
import io.lambdatrades.ingest.FinnhubToken;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.ingest.Ingester;
import io.lambdatrades.ingest.TradeProducer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer.TokenRefusal;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A local server speaking Finnhub's protocol -> the ingester (WebSocket, JSON parsing, validation,
 * Avro, producer) -> Kafka. Two figures: the highest throughput, and the delay from the server's
 * send to Kafka's append (topics with LogAppendTime) at a steady rate. The reference in the same
 * run: the same trades written by the same producer straight from memory, without the feed.
 *
 * <p>Usage: {@code FinnhubIngestBenchmark [trades] [steady-rate] [steady-seconds]}
 */
public final class FinnhubIngestBenchmark
{
    private static final String TOKEN = "bench-token";
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "OANDA:EUR_USD");
    private static final int TRADES_PER_FRAME = 50;
    private static final int ROUNDS = 3;

    private FinnhubIngestBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int trades = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int steadyRate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int steadySeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        try (ScratchDirectory scratch = new ScratchDirectory("bench-finnhub");
                EmbeddedKafka kafka = EmbeddedKafka.start(scratch.root(), 0, 0)) {
            createTopic(kafka, "ws-delay");
            List<String> frames = frames(trades / TRADES_PER_FRAME, System.currentTimeMillis());
            List<Double> websocket = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            // Alternating rounds, so that JIT warm-up and the machine's noise hit both alike.
            for (int round = 1; round <= ROUNDS; round++) {
                createTopic(kafka, "ws-throughput-" + round);
                createTopic(kafka, "direct-throughput-" + round);
                websocket.add(websocketThroughput(kafka, "ws-throughput-" + round, frames));
                direct.add(directThroughput(kafka, "direct-throughput-" + round, frames));
                System.out.printf(Locale.ROOT, "round %d: WebSocket feed -> Kafka %,.0f trades/s; the same trades straight to the producer %,.0f trades/s%n",
                        round, websocket.get(round - 1), direct.get(round - 1));
            }
            System.out.printf(Locale.ROOT, "throughput (median of %d rounds of %,d trades): WebSocket feed -> Kafka %,.0f trades/s; straight to the producer %,.0f trades/s; ratio %.2f%n",
                    ROUNDS, frames.size() * TRADES_PER_FRAME, median(websocket), median(direct), median(websocket) / median(direct));

            long[] delays = steadyDelays(kafka, "ws-delay", steadyRate, steadySeconds);
            System.out.printf(Locale.ROOT, "delay server send -> Kafka append at %,d trades/s for %d s (%,d trades): p50 %d ms, p99 %d ms, max %d ms%n",
                    steadyRate, steadySeconds, delays.length, percentile(delays, 0.50), percentile(delays, 0.99), delays[delays.length - 1]);
        }
        System.exit(0);
    }

    private static double websocketThroughput(EmbeddedKafka kafka, String topic, List<String> frames)
            throws Exception
    {
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401)) {
            RunningIngester ingester = RunningIngester.start(kafka, topic, server);
            awaitSubscribed(server);
            long start = System.nanoTime();
            for (String frame : frames) {
                server.current().send(frame);
            }
            long expected = (long) frames.size() * TRADES_PER_FRAME;
            while (ingester.metrics.snapshot().acknowledged() < expected) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ingester.stop();
            return expected / seconds;
        }
    }

    private static double directThroughput(EmbeddedKafka kafka, String topic, List<String> frames)
    {
        FinnhubFrameParser parser = new FinnhubFrameParser("finnhub", new TradeValidator(Clock.systemUTC()));
        List<Trade> trades = new ArrayList<>();
        for (String frame : frames) {
            trades.addAll(((FinnhubFrame.Trades) parser.parse(frame, System.currentTimeMillis())).trades());
        }
        IngestMetrics metrics = new IngestMetrics();
        long start = System.nanoTime();
        try (TradeProducer producer = new TradeProducer(kafka.bootstrapServers(), topic, topic + ".dlq", metrics)) {
            trades.forEach(producer::send);
            producer.flush();
        }
        return trades.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static long[] steadyDelays(EmbeddedKafka kafka, String topic, int rate, int seconds)
            throws Exception
    {
        int tradesPerFrame = 10;
        long frameIntervalNanos = TimeUnit.SECONDS.toNanos(1) * tradesPerFrame / rate;
        int frameCount = rate * seconds / tradesPerFrame;
        try (FinnhubProtocolServer server = FinnhubProtocolServer.start(TOKEN, 50, TokenRefusal.HTTP_401)) {
            RunningIngester ingester = RunningIngester.start(kafka, topic, server);
            awaitSubscribed(server);
            long next = System.nanoTime();
            for (int i = 0; i < frameCount; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                // Each trade's t is the server's send time: the delay is Kafka's append time minus t.
                server.current().send(frame(i, tradesPerFrame, System.currentTimeMillis()));
                next += frameIntervalNanos;
            }
            while (ingester.metrics.snapshot().acknowledged() < (long) frameCount * tradesPerFrame) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            ingester.stop();
        }
        long[] delays = readDelays(kafka, topic);
        Arrays.sort(delays);
        return delays;
    }

    private static long[] readDelays(EmbeddedKafka kafka, String topic)
    {
        TradeCodec codec = new TradeCodec();
        return KafkaTopics.readAll(kafka.bootstrapServers(), topic).stream()
                .mapToLong(record -> record.timestamp() - codec.decode(record.value()).ts())
                .toArray();
    }

    private static List<String> frames(int count, long baseTs)
    {
        List<String> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(frame(i, TRADES_PER_FRAME, baseTs + i));
        }
        return frames;
    }

    private static String frame(int index, int trades, long ts)
    {
        // Finnhub's own field order: data first, then type.
        StringBuilder frame = new StringBuilder("{\"data\":[");
        for (int j = 0; j < trades; j++) {
            String symbol = SYMBOLS.get((index + j) % SYMBOLS.size());
            frame.append(j == 0 ? "" : ",")
                    .append("{\"p\":").append(100 + (index % 1000) * 0.01 + j * 0.001)
                    .append(",\"s\":\"").append(symbol)
                    .append("\",\"t\":").append(ts)
                    .append(",\"v\":").append(1 + j)
                    .append(",\"c\":[\"1\",\"12\"]}");
        }
        return frame.append("],\"type\":\"trade\"}").toString();
    }

    private static void awaitSubscribed(FinnhubProtocolServer server)
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.connections().isEmpty() || server.current().subscriptions().size() < SYMBOLS.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ingester did not subscribe");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static void createTopic(EmbeddedKafka kafka, String topic)
            throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(topic, 3, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime")),
                    new NewTopic(topic + ".dlq", 1, (short) 1))).all().get();
        }
    }

    private static double median(List<Double> values)
    {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static long percentile(long[] sorted, double quantile)
    {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private record RunningIngester(Thread thread, IngestMetrics metrics)
    {
        static RunningIngester start(EmbeddedKafka kafka, String topic, FinnhubProtocolServer server)
        {
            IngestMetrics metrics = new IngestMetrics();
            FinnhubConnection connection = new FinnhubConnection(new FinnhubConfig(server.url(), Optional.empty(), 50, Duration.ofMinutes(5)),
                    FinnhubToken.of(TOKEN), SYMBOLS, 10_000, metrics, Clock.systemUTC());
            FinnhubFeed feed = new FinnhubFeed(connection, new FinnhubFrameParser("finnhub", new TradeValidator(Clock.systemUTC())), metrics);
            Thread thread = new Thread(() -> {
                try (TradeProducer producer = new TradeProducer(kafka.bootstrapServers(), topic, topic + ".dlq", metrics)) {
                    new Ingester(feed, new TradeValidator(Clock.systemUTC()), producer).run();
                }
            }, "bench-ingest");
            thread.start();
            return new RunningIngester(thread, metrics);
        }

        void stop()
                throws InterruptedException
        {
            thread.interrupt();
            thread.join();
        }
    }
}
