package io.lambdatrades.bench;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.speed.SparkSessions;
import io.lambdatrades.speed.SpeedBatchWriter;
import io.lambdatrades.speed.SpeedQuery;
import io.lambdatrades.speed.SpeedSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Speed layer delay: a trade's {@code ingest_ts} -> its commit in PostgreSQL heard, per trade, at steady rates,
 * in real-time mode and in micro-batch mode one after the other (the same trades at the same rate),
 * each beside a plain Kafka consumer writing the same trades (the floor), with Spark local and the
 * embedded servers in this JVM. Each trade's {@code ingest_ts} is the time it was scheduled to be
 * sent, not the time the producer got to it: a producer that falls behind adds its delay to the
 * trades' (no coordinated omission).
 *
 * <p>Usage: {@code SpeedDelayBenchmark [seconds-per-rate] [rate...]}, or
 * {@code SpeedDelayBenchmark sustained RATE SECONDS}: one rate held, the query's lag every 10 seconds.
 * A warm-up rate goes first ({@code -Dwarmup.seconds}, default 30). {@code -Dspeed.modes=realtime,microbatch}
 * chooses the modes.
 */
public final class SpeedDelayBenchmark
{
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "NVDA", "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "OANDA:EUR_USD");

    private SpeedDelayBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        boolean sustained = args.length > 0 && "sustained".equals(args[0]);
        int sustainedRate = sustained && args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int sustainedSeconds = sustained && args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int seconds = !sustained && args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int[] rates = !sustained && args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1_000, 10_000};
        try (ScratchDirectory scratch = new ScratchDirectory("bench-speed");
                EmbeddedKafka kafka = EmbeddedKafka.start(scratch.directory("kafka"), 0, 0);
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(scratch.directory("postgres"), scratch.directory("pg-binaries"), 0)) {
            // Real-time mode needs a task slot for each of the topic's 3 partitions at once.
            SparkSession spark = SparkSessions.create("bench-speed", new SparkConfig(System.getProperty("spark.master", "local[4]"), Map.of()));
            List<String> modes = List.of(System.getProperty("speed.modes", "realtime,microbatch").split(","));
            BatchDurations durations = new BatchDurations();
            spark.streams().addListener(durations);
            // The first rate in a JVM pays for class loading and the JIT (still compiling Spark's planner a minute in):
            // a warm-up rate, not reported, goes first.
            for (String mode : modes) {
                measure(scratch, kafka, postgres, spark, durations, mode, 5_000, Integer.getInteger("warmup.seconds", 30), true);
            }
            for (String mode : modes) {
                if (sustained) {
                    sustain(scratch, kafka, postgres, spark, mode, sustainedRate, sustainedSeconds);
                }
            }
            if (!sustained) {
                for (int rate : rates) {
                    for (String mode : modes) {
                        measure(scratch, kafka, postgres, spark, durations, mode, rate, seconds, false);
                    }
                }
            }
            spark.stop();
        }
        System.exit(0);
    }

    /** One rate for some seconds in one mode; prints the delays unless it is the warm-up. */
    private static void measure(ScratchDirectory scratch, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, SparkSession spark, BatchDurations durations,
            String mode, int rate, int seconds, boolean warmUp)
            throws Exception
    {
        String name = (warmUp ? "warmup_" : "") + mode + "_" + rate;
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-delay-" + name.replace('_', '-'));
        PostgresConnection database = TestDatabases.fresh(postgres, "bench_" + name);
        RunningQuery query = RunningQuery.start(mode, spark, kafka, topic, database, scratch.directory("checkpoint-" + name).toString());
        PlainConsumerFloor floor = PlainConsumerFloor.start(kafka.bootstrapServers(), topic, TestDatabases.fresh(postgres, "floor_" + name));
        try (CommitTimes commits = CommitTimes.listen(database)) {
            // Steady state: the query's start (2-3 s to its first write) is not a trade's delay.
            produceSteadily(kafka, topic, 1, 1);
            while (query.written() < 1 || floor.written() < 1) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            durations.reset();
            long since = System.currentTimeMillis();
            long sent = 1 + produceSteadily(kafka, topic, rate, seconds);
            while (query.written() < sent || floor.written() < sent) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            long[] floorDelays = floor.stop();
            query.stop();
            if (warmUp) {
                return;
            }
            long[] delays = commits.delays(database, since);
            System.out.printf(Locale.ROOT, "%s, %,d trades/s for %d s: commits heard for %,d of %,d trades sent; delay ingest_ts (scheduled send) -> commit heard"
                            + " p50 %d ms, p99 %d ms, max %d ms; %s%n",
                    mode, rate, seconds, delays.length, sent - 1, percentile(delays, 0.5), percentile(delays, 0.99), delays[delays.length - 1],
                    query.split(durations));
            printFloor(delays, floorDelays);
        }
    }

    private static void printFloor(long[] delays, long[] floorDelays)
    {
        System.out.printf(Locale.ROOT, "  floor, a plain Kafka consumer -> COPY -> commit per poll, same trades at the same time: p50 %d ms, p99 %d ms, max %d ms;"
                        + " speed layer / floor at p50 %.1fx, at p99 %.1fx%n",
                percentile(floorDelays, 0.5), percentile(floorDelays, 0.99), floorDelays[floorDelays.length - 1],
                percentile(delays, 0.5) / (double) Math.max(1, percentile(floorDelays, 0.5)),
                percentile(delays, 0.99) / (double) Math.max(1, percentile(floorDelays, 0.99)));
    }

    /**
     * Holds one rate for some seconds and prints, every 10 seconds, how far the query is behind the
     * producer: a rate is sustained when that lag does not grow.
     */
    private static void sustain(ScratchDirectory scratch, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, SparkSession spark, String mode, int rate, int seconds)
            throws Exception
    {
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-sustained-" + mode + "-" + rate);
        PostgresConnection database = TestDatabases.fresh(postgres, "sustained_" + mode + "_" + rate);
        RunningQuery query = RunningQuery.start(mode, spark, kafka, topic, database, scratch.directory("checkpoint-sustained-" + mode + "-" + rate).toString());
        produceSteadily(kafka, topic, 1, 1);
        while (query.written() < 1) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        AtomicLong sent = new AtomicLong();
        Thread producer = new Thread(() -> produceSteadily(kafka, topic, rate, seconds, sent), "bench-sustained-producer");
        long start = System.nanoTime();
        producer.start();
        long firstLag = -1;
        long lastLag = 0;
        while (producer.isAlive()) {
            producer.join(10_000);
            long written = query.written() - 1;
            long lag = sent.get() - written;
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            System.out.printf(Locale.ROOT, "  %3d s: %,d sent, %,d written, lag %,d trades%n", elapsed, sent.get(), written, lag);
            if (elapsed >= 60 && firstLag < 0) {
                firstLag = lag;
            }
            lastLag = lag;
        }
        double producedSeconds = (System.nanoTime() - start) / 1e9;
        query.stop();
        System.out.printf(Locale.ROOT, "%s, %,d trades/s offered for %d s (%,.0f trades/s produced): lag after 1 min %,d, at the end %,d -> %s%n",
                mode, rate, seconds, sent.get() / producedSeconds, firstLag, lastLag,
                lastLag <= Math.max(2L * firstLag, rate) ? "sustained (the lag did not grow)" : "NOT sustained (the lag grew)");
    }

    private static long produceSteadily(EmbeddedKafka kafka, String topic, int rate, int seconds)
    {
        return produceSteadily(kafka, topic, rate, seconds, new AtomicLong());
    }

    static long produceSteadily(EmbeddedKafka kafka, String topic, int rate, int seconds, AtomicLong sent)
    {
        TradeCodec codec = new TradeCodec();
        // As the ingest's producer sends: acks from all replicas, batches lingering up to 5 ms.
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
        long count = (long) rate * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            long startMillis = System.currentTimeMillis();
            long startNanos = System.nanoTime();
            for (long i = 0; i < count; i++) {
                long next = startNanos + i * intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
                // The trade's scheduled time, whenever it is actually sent.
                long scheduled = startMillis + TimeUnit.NANOSECONDS.toMillis(next - startNanos);
                String symbol = SYMBOLS.get((int) (i % SYMBOLS.size()));
                Trade trade = new Trade(symbol, 100 + (i % 1000) * 0.01, 1, scheduled, List.of(), "simulate", scheduled);
                producer.send(new ProducerRecord<>(topic, symbol.getBytes(StandardCharsets.UTF_8), codec.encode(trade)));
                sent.incrementAndGet();
            }
        }
        return count;
    }

    static long percentile(long[] sorted, double quantile)
    {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
