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
import io.lambdatrades.speed.SparkSessions;
import io.lambdatrades.speed.SpeedBatchWriter;
import io.lambdatrades.speed.SpeedQuery;
import io.lambdatrades.speed.SpeedSink;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.util.concurrent.CompletableFuture;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Freshness: a trade's time in Kafka (its producer's send time) to its event at a stream client, through
 * the whole path (Spark speed query, PostgreSQL commit with NOTIFY, the server's LISTEN, the SSE write),
 * beside the speed layer's own delay (Kafka to commit) for the same trades in the same run.
 *
 * <p>Usage: {@code ServingFreshnessBenchmark [seconds] [rate]} (default 30 s at 1,000 trades/s, after a
 * 30 s warm-up at the same rate).
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
            SparkSession spark = SparkSessions.create("bench-freshness", new SparkConfig(System.getProperty("spark.master", "local[2]"), Map.of()));
            for (String phase : new String[] {"warmup", "measured"}) {
                String topic = KafkaTopics.createTradeTopics(kafka, "freshness-" + phase);
                PostgresConnection database = TestDatabases.fresh(postgres, "freshness_" + phase);
                SpeedBatchWriter writer = new SpeedBatchWriter(new SpeedSink(database, SpeedQuery.NAME), deadLetter -> CompletableFuture.completedFuture(null));
                StreamingQuery query = new SpeedQuery(spark, kafka.bootstrapServers(), topic, scratch.directory("checkpoint-" + phase).toString(),
                        Duration.ofMillis(Long.getLong("trigger.ms", 100)), 100_000, writer).start();
                while (query.lastProgress() == null) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                try (CommitTimes commits = CommitTimes.listen(database);
                        ServingServer server = ServingServer.start(new ServingConfig(true, "127.0.0.1", 0, 4096, ""), database, Map::of,
                        AdminToken.resolve(Optional.of("bench"), scratch.directory("run")), request -> null, Clock.systemUTC())) {
                    long[] received = new long[rate * seconds];
                    AtomicLong count = new AtomicLong();
                    InputStream stream = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/stream"))
                            .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream()).body();
                    Thread reader = new Thread(() -> read(stream, received, count), "bench-sse-reader");
                    reader.setDaemon(true);
                    reader.start();
                    long sent = SpeedDelayBenchmark.produceSteadily(kafka, topic, rate, "warmup".equals(phase) ? 30 : seconds, new AtomicLong());
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (count.get() < Math.min(sent, received.length) && System.nanoTime() < deadline) {
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                    }
                    stream.close();
                    query.stop();
                    if ("measured".equals(phase)) {
                        long[] pushed = Arrays.copyOf(received, (int) Math.min(count.get(), received.length));
                        Arrays.sort(pushed);
                        long[] committed = commits.delays(database, 0);
                        System.out.printf(Locale.ROOT, "%,d trades/s for %d s: %,d sent, %,d pushed to the stream client%n", rate, seconds, sent, pushed.length);
                        System.out.printf(Locale.ROOT, "  Kafka -> SSE event at the client:  p50 %d ms, p99 %d ms, max %d ms%n",
                                SpeedDelayBenchmark.percentile(pushed, 0.5), SpeedDelayBenchmark.percentile(pushed, 0.99), pushed[pushed.length - 1]);
                        System.out.printf(Locale.ROOT, "  Kafka -> speed layer commit heard (same trades): p50 %d ms, p99 %d ms, max %d ms%n",
                                SpeedDelayBenchmark.percentile(committed, 0.5), SpeedDelayBenchmark.percentile(committed, 0.99), committed[committed.length - 1]);
                    }
                }
            }
            spark.stop();
        }
        System.exit(0);
    }

    /** Each trade's delay: the time its event was read here minus its time (the producer's clock, same machine). */
    private static void read(InputStream stream, long[] delays, AtomicLong count)
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
                        long index = count.getAndIncrement();
                        if (index < delays.length) {
                            delays[(int) index] = now - trade.at("/tsMs").asLong();
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
