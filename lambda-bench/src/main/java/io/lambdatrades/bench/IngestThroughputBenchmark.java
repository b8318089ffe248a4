package io.lambdatrades.bench;

import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.ingest.Ingester;
import io.lambdatrades.ingest.ResumePoint;
import io.lambdatrades.ingest.SimulatedFeed;
import io.lambdatrades.ingest.SimulatedInstrument;
import io.lambdatrades.ingest.SimulatedMarket;
import io.lambdatrades.ingest.TradeProducer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.tools.ProducerPerformance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated market -> Kafka with the production settings, side by side with Kafka's own
 * ProducerPerformance at the same record size and settings, against one broker in this JVM.
 * Rounds alternate between the two so that the machine's noise hits both alike.
 *
 * <p>Usage: {@code IngestThroughputBenchmark [trades-per-round] [rounds]}
 */
public final class IngestThroughputBenchmark
{
    private static final Pattern RECORDS_PER_SECOND = Pattern.compile("records sent, ([0-9.]+) records/sec");

    private IngestThroughputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int trades = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int recordSize = averageValueSize();
        try (ScratchDirectory scratch = new ScratchDirectory("bench-kafka");
                EmbeddedKafka kafka = EmbeddedKafka.start(scratch.root(), 0, 0)) {
            List<Double> ours = new ArrayList<>();
            List<Double> reference = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String suffix = "-" + round;
                createTopics(kafka, "bench-trades" + suffix, "bench-perf" + suffix);
                reference.add(producerPerformance(kafka, "bench-perf" + suffix, trades, recordSize));
                ours.add(simulatedMarketIntoKafka(kafka, "bench-trades" + suffix, trades));
                System.out.printf(Locale.ROOT, "round %d: lambda ingest %,.0f trades/s, ProducerPerformance %,.0f records/s%n",
                        round, ours.get(round - 1), reference.get(round - 1));
            }
            double oursMedian = median(ours);
            double referenceMedian = median(reference);
            System.out.printf(Locale.ROOT, "%nrecord value size %d bytes (Avro single-object), %d trades a round, %d rounds, 3 partitions, acks=all, idempotent, lz4, linger 5 ms, 64 KB batches%n",
                    recordSize, trades, rounds);
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                ratios.add(ours.get(i) / reference.get(i));
            }
            System.out.printf(Locale.ROOT, "median: lambda ingest %,.0f trades/s; ProducerPerformance %,.0f records/s; median of the per-round ratios %.2f%n",
                    oursMedian, referenceMedian, median(ratios));
        }
        System.exit(0);
    }

    /** The production path: the simulated market's history mode through validation and the producer. */
    private static double simulatedMarketIntoKafka(EmbeddedKafka kafka, String topic, int trades)
    {
        double historyRate = 10_000;
        Duration history = Duration.ofMillis((long) (trades / historyRate * 1000));
        SimulatedFeed feed = new SimulatedFeed(1, SimulatedInstrument.of(List.of()), 1, history, historyRate, ResumePoint.EMPTY, Clock.systemUTC(),
                phase -> {
                    if (phase == SimulatedFeed.FeedPhase.LIVE) {
                        Thread.currentThread().interrupt();
                    }
                });
        IngestMetrics metrics = new IngestMetrics();
        long start = System.nanoTime();
        try (TradeProducer producer = new TradeProducer(kafka.bootstrapServers(), topic, topic + ".dlq", metrics)) {
            new Ingester(feed, new TradeValidator(Clock.systemUTC()), producer).run();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Thread.interrupted();
        return metrics.snapshot().acknowledged() / seconds;
    }

    private static double producerPerformance(EmbeddedKafka kafka, String topic, int records, int recordSize)
            throws Exception
    {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(new String[] {
                    "--topic", topic,
                    "--num-records", Integer.toString(records),
                    "--record-size", Integer.toString(recordSize),
                    "--throughput", "-1",
                    "--producer-props",
                    "bootstrap.servers=" + kafka.bootstrapServers(),
                    "acks=all", "enable.idempotence=true", "compression.type=lz4", "linger.ms=5", "batch.size=65536"});
        }
        finally {
            System.setOut(stdout);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        Matcher matcher = RECORDS_PER_SECOND.matcher(output);
        double last = -1;
        while (matcher.find()) {
            last = Double.parseDouble(matcher.group(1));
        }
        if (last < 0) {
            throw new IllegalStateException("ProducerPerformance printed no result:\n" + output);
        }
        return last;
    }

    private static int averageValueSize()
    {
        TradeCodec codec = new TradeCodec();
        SimulatedMarket market = new SimulatedMarket(1, SimulatedInstrument.of(List.of()), System.currentTimeMillis(), 1000, System::currentTimeMillis);
        long bytes = 0;
        int samples = 100_000;
        for (int i = 0; i < samples; i++) {
            bytes += codec.encode(market.next()).length;
        }
        return (int) Math.round((double) bytes / samples);
    }

    private static void createTopics(EmbeddedKafka kafka, String tradesTopic, String perfTopic)
            throws InterruptedException
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TradeTopics(tradesTopic, tradesTopic + ".dlq", 3, Duration.ofDays(1).toMillis()).ensure(admin, Duration.ofSeconds(60));
            new TradeTopics(perfTopic, perfTopic + ".dlq", 3, Duration.ofDays(1).toMillis()).ensure(admin, Duration.ofSeconds(60));
        }
    }

    private static double median(List<Double> values)
    {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
