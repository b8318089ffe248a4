package io.lambdatrades.launcher;

import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.speed.RealTimeGroupWriter;
import io.lambdatrades.speed.RealTimeProgress;
import io.lambdatrades.speed.RealTimeSpeedQuery;
import io.lambdatrades.speed.SparkSessions;
import io.lambdatrades.speed.SpeedBatchWriter;
import io.lambdatrades.speed.SpeedMetrics;
import io.lambdatrades.speed.SpeedQuery;
import io.lambdatrades.speed.SpeedSink;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

@Command(name = "speed", mixinStandardHelpOptions = true,
        description = "Run only the speed layer (Spark Structured Streaming, Kafka -> PostgreSQL) against the configured services or those of a running 'lambda up'.")
final class SpeedCommand
        implements Callable<Integer>
{
    private static final int PROGRESS_EVERY_SECONDS = 10;
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    /** Where the speed layer publishes its metrics each second, for {@code lambda status}. */
    static final String SPEED_METRICS_FILE = "speed.json";

    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
            throws TimeoutException, InterruptedException
    {
        LambdaConfig config = common.load(Map.of());
        Logging.configure(config.dataDir().resolve("logs"), "speed", common.verbose);
        RunningServices services = RunningServices.find(config);
        String bootstrapServers = services.bootstrapServers();
        PostgresConnection postgres = services.postgres();
        // A dead or misconfigured service is one line now, not minutes of the query's retries.
        new PostgresSchema(postgres).migrate();
        TradeTopics.of(config.kafka()).ensure(bootstrapServers, TOPIC_TIMEOUT);

        Console console = new Console(System.out, System.console() != null);
        boolean realTime = config.speed().realTime();
        // Real-time mode holds a task slot for every partition at once.
        SparkConfig sparkConfig = realTime ? config.speed().spark().withLocalThreads(config.kafka().partitions() + 1) : config.speed().spark();
        SparkSession spark = SparkSessions.create("lambda-speed", sparkConfig);
        try {
            if (realTime) {
                runRealTime(config, spark, bootstrapServers, postgres, console);
            }
            else {
                runMicroBatches(config, spark, bootstrapServers, postgres, console);
            }
        }
        finally {
            spark.stop();
        }
        console.line("lambda speed: stopped");
        return 0;
    }

    private void runMicroBatches(LambdaConfig config, SparkSession spark, String bootstrapServers, PostgresConnection postgres, Console console)
            throws TimeoutException
    {
        Map<String, Object> producerSettings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "lambda-speed-dlq");
        try (KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
            SpeedBatchWriter writer = new SpeedBatchWriter(new SpeedSink(postgres, SpeedQuery.NAME),
                    deadLetter -> deadLetters.send(deadLetter.toProducerRecord(config.kafka().deadLetterTopic())));
            StreamingQuery query = new SpeedQuery(spark, bootstrapServers, config.kafka().topic(), config.speed().checkpointDir(), config.speed().trigger(),
                    config.speed().maxBatchTrades(), writer).start();
            StopSignals.onStop(() -> new Thread(() -> stop(query), "lambda-speed-stop").start());
            console.line("lambda speed: " + bootstrapServers + " topic " + config.kafka().topic() + " -> " + postgres.redactedUrl() + ", micro-batches every "
                    + config.speed().trigger().toMillis() + " ms, checkpoint " + config.speed().checkpointDir());
            report(query, config, console, () -> SpeedMetrics.of(query.lastProgress(), writer.written(), writer.newestTradeTs(), System.currentTimeMillis()));
        }
    }

    private void runRealTime(LambdaConfig config, SparkSession spark, String bootstrapServers, PostgresConnection postgres, Console console)
            throws TimeoutException
    {
        RealTimeGroupWriter writer = new RealTimeGroupWriter(postgres, bootstrapServers, config.kafka().deadLetterTopic(), config.speed().groupMax(),
                config.speed().groupTrades());
        StreamingQuery query = new RealTimeSpeedQuery(spark, bootstrapServers, config.kafka().topic(), config.speed().checkpointDir(), writer).start();
        StopSignals.onStop(() -> new Thread(() -> stop(query), "lambda-speed-stop").start());
        console.line("lambda speed: " + bootstrapServers + " topic " + config.kafka().topic() + " -> " + postgres.redactedUrl() + ", real-time mode (groups of up to "
                + config.speed().groupTrades() + " trades or " + config.speed().groupMax().toMillis() + " ms), checkpoint " + config.speed().checkpointDir());
        try (RealTimeProgress progress = new RealTimeProgress(postgres, bootstrapServers, config.kafka().topic())) {
            report(query, config, console, () -> progress.sample(System.currentTimeMillis()));
        }
    }

    /** Publishes the figures every second for status, and a progress line every ten, until the query ends. */
    private static void report(StreamingQuery query, LambdaConfig config, Console console, Supplier<SpeedMetrics> metrics)
    {
        StateFile<SpeedMetrics> metricsFile = new StateFile<>(config.dataDir(), SPEED_METRICS_FILE, SpeedMetrics.class);
        for (long second = 1; !awaitTermination(query); second++) {
            SpeedMetrics current = metrics.get();
            metricsFile.write(current);
            if (second % PROGRESS_EVERY_SECONDS == 0) {
                console.progress("speed  " + current.describe());
            }
        }
    }

    /** Spark's report of a failed query spans a page (the plan, the offsets): its cause says it in one line. */
    private static boolean awaitTermination(StreamingQuery query)
    {
        try {
            return query.awaitTermination(1_000L);
        }
        catch (StreamingQueryException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the speed query failed: " + Failures.oneLine(cause), e);
        }
    }

    private static void stop(StreamingQuery query)
    {
        try {
            query.stop();
        }
        catch (TimeoutException e) {
            // The query did not stop in time; the JVM exits anyway and the checkpoint replays the batch.
        }
    }
}
