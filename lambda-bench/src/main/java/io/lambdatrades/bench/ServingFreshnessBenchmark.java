package io.lambdatrades.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.ServingConfig;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.serving.AdminToken;
import io.lambdatrades.serving.ServingServer;
import io.lambdatrades.serving.StatusSource;
import io.lambdatrades.speed.SparkSessions;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Freshness: a trade's {@code ingest_ts} (its scheduled send time) to its event at a stream client,
 * through the whole path (Spark speed query, PostgreSQL commit with NOTIFY, the server's LISTEN, the
 * SSE write), beside the speed layer's own delay (to its commit heard) for the same trades in the same
 * run, in real-time mode and in micro-batch mode; each trade must reach the client exactly once.
 *
 * <p>Usage: {@code ServingFreshnessBenchmark [seconds] [rate]} (default 30 s at 1,000 trades/s, after a
 * 30 s warm-up at the same rate). {@code -Dspeed.modes=realtime,microbatch} chooses the modes.
 */
public final class ServingFreshnessBenchmark
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServingFreshnessBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        try (ScratchDirectory scratch = new ScratchDirectory("bench-freshness");
                EmbeddedKafka kafka = EmbeddedKafka.start(scratch.directory("kafka"), 0, 0);
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(scratch.directory("postgres"), scratch.directory("pg-binaries"), 0)) {
            // Real-time mode needs a task slot for each of the topic's 3 partitions at once.
            SparkSession spark = SparkSessions.create("bench-freshness", new SparkConfig(System.getProperty("spark.master", "local[4]"), Map.of()));
            for (String mode : System.getProperty("speed.modes", "realtime,microbatch").split(",")) {
                for (String phase : new String[] {"warmup", "measured"}) {
                    run(scratch, kafka, postgres, spark, mode, phase, "warmup".equals(phase) ? 30 : seconds, rate);
                }
            }
            spark.stop();
        }
        System.exit(0);
    }

    private static void run(ScratchDirectory scratch, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, SparkSession spark, String mode, String phase,
            int seconds, int rate)
            throws Exception
    {
        String name = mode + "-" + phase;
        String topic = KafkaTopics.createTradeTopics(kafka, "freshness-" + name);
        PostgresConnection database = TestDatabases.fresh(postgres, "freshness_" + name.replace('-', '_'));
        RunningQuery query = RunningQuery.start(mode, spark, kafka, topic, database, scratch.directory("checkpoint-" + name).toString());
        try (CommitTimes commits = CommitTimes.listen(database);
                ServingServer server = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 4096, true, ""), database, StatusSource.NONE,
                        AdminToken.resolve(Optional.of("bench"), scratch.directory("run")), request -> null, Clock.systemUTC())) {
            // Steady state: the query's start (2-3 s to its first write) is not a trade's delay.
            long first = SpeedDelayBenchmark.produceSteadily(kafka, topic, 1, 1, new AtomicLong());
            while (query.written() < first) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            long since = System.currentTimeMillis();
            Received received = new Received(rate * seconds);
            InputStream stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/stream"))
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream()).body();
            Thread reader = new Thread(() -> read(stream, received, since), "bench-sse-reader");
            reader.setDaemon(true);
            reader.start();
            long sent = SpeedDelayBenchmark.produceSteadily(kafka, topic, rate, seconds, new AtomicLong());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.count() < sent && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            // Anything pushed twice arrives within moments of the first.
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            stream.close();
            query.stop();
            if ("measured".equals(phase)) {
                long[] pushed = received.delays();
                long[] committed = commits.delays(database, since);
                System.out.printf(Locale.ROOT, "%s, %,d trades/s for %d s: %,d sent, %,d pushed to the stream client (%,d distinct, %,d twice or more)%n",
                        mode, rate, seconds, sent, received.count(), received.distinct(), received.repeated());
                System.out.printf(Locale.ROOT, "  ingest_ts -> SSE event at the client:  p50 %d ms, p99 %d ms, max %d ms%n",
                        SpeedDelayBenchmark.percentile(pushed, 0.5), SpeedDelayBenchmark.percentile(pushed, 0.99), pushed[pushed.length - 1]);
                System.out.printf(Locale.ROOT, "  ingest_ts -> speed layer commit heard (same trades): p50 %d ms, p99 %d ms, max %d ms%n",
                        SpeedDelayBenchmark.percentile(committed, 0.5), SpeedDelayBenchmark.percentile(committed, 0.99), committed[committed.length - 1]);
            }
        }
    }

    /** The trades the client read: each one's delay, and how often each (partition, offset) came. */
    private static final class Received
    {
        private final long[] delays;
        private final Map<Long, Integer> times = new HashMap<>();
        private int count;

        Received(int expected)
        {
            this.delays = new long[expected];
        }

        synchronized void add(int partition, long offset, long delay)
        {
            if (count < delays.length) {
                delays[count] = delay;
            }
            count++;
            times.merge(((long) partition << 40) | offset, 1, Integer::sum);
        }

        synchronized long count()
        {
            return count;
        }

        synchronized long distinct()
        {
            return times.size();
        }

        synchronized long repeated()
        {
            return times.values().stream().filter(seen -> seen > 1).count();
        }

        synchronized long[] delays()
        {
            long[] sorted = Arrays.copyOf(delays, Math.min(count, delays.length));
            Arrays.sort(sorted);
            return sorted;
        }
    }

    /** Each trade's delay: the time its event was read here minus its ingest_ts (the producer's clock, same machine). */
    private static void read(InputStream stream, Received received, long sinceMillis)
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            boolean trades = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event: ")) {
                    trades = line.equals("event: trades");
                }
                else if (trades && line.startsWith("data: ")) {
                    long now = System.currentTimeMillis();
                    for (JsonNode trade : JSON.readTree(line.substring(6)).at("/trades")) {
                        if (trade.at("/tsMs").asLong() >= sinceMillis) {
                            received.add(trade.at("/partition").asInt(), trade.at("/offset").asLong(), now - trade.at("/tsMs").asLong());
                        }
                    }
                }
            }
        }
        catch (Exception e) {
            // The stream was closed at the end of the run.
        }
    }
}
