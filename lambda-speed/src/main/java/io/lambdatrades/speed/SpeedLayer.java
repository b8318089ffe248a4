package io.lambdatrades.speed;

import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.SparkConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The running speed layer, as {@code lambda speed} starts it: a Spark session, the query of the
 * configured mode (real-time, or micro-batches with their dead-letter producer) writing to
 * PostgreSQL, and its figures. Closing it stops the query, then what the query used.
 */
public final class SpeedLayer
        implements AutoCloseable
{
    private final SparkSession spark;
    private final StreamingQuery query;
    private final Supplier<SpeedMetrics> metrics;
    private final String description;
    private final List<AutoCloseable> resources;

    private SpeedLayer(SparkSession spark, StreamingQuery query, Supplier<SpeedMetrics> metrics, String description, List<AutoCloseable> resources)
    {
        this.spark = spark;
        this.query = query;
        this.metrics = metrics;
        this.description = description;
        this.resources = List.copyOf(resources);
    }

    /** Starts the query of {@code speed.mode} on the given services; the topic and the schema must exist. */
    public static SpeedLayer start(LambdaConfig config, String bootstrapServers, PostgresConnection postgres)
            throws TimeoutException
    {
        requireNonNull(config, "config is null");
        boolean realTime = config.speed().realTime();
        // Real-time mode holds a task slot for every partition at once.
        SparkConfig sparkConfig = realTime ? config.speed().spark().withLocalThreads(config.kafka().partitions() + 1) : config.speed().spark();
        SparkSession spark = SparkSessions.create("lambda-speed", sparkConfig);
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return realTime ? realTime(config, spark, bootstrapServers, postgres, resources) : microBatches(config, spark, bootstrapServers, postgres, resources);
        }
        catch (TimeoutException | RuntimeException e) {
            closeAll(resources);
            spark.stop();
            throw e;
        }
    }

    private static SpeedLayer microBatches(LambdaConfig config, SparkSession spark, String bootstrapServers, PostgresConnection postgres, List<AutoCloseable> resources)
            throws TimeoutException
    {
        Map<String, Object> producerSettings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, "lambda-speed-dlq");
        KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
        resources.add(deadLetters);
        SpeedBatchWriter writer = new SpeedBatchWriter(new SpeedSink(postgres, SpeedQueryNames.QUERY),
                deadLetter -> deadLetters.send(deadLetter.toProducerRecord(config.kafka().deadLetterTopic())));
        StreamingQuery query = new SpeedQuery(spark, bootstrapServers, config.kafka().topic(), config.speed().checkpointDir(), config.speed().trigger(),
                config.speed().maxBatchTrades(), writer).start();
        String description = bootstrapServers + " topic " + config.kafka().topic() + " -> " + postgres.redactedUrl() + ", micro-batches every "
                + config.speed().trigger().toMillis() + " ms, checkpoint " + config.speed().checkpointDir();
        return new SpeedLayer(spark, query, () -> SpeedMetrics.of(query.lastProgress(), writer.written(), writer.newestTradeTs(), System.currentTimeMillis()),
                description, resources);
    }

    private static SpeedLayer realTime(LambdaConfig config, SparkSession spark, String bootstrapServers, PostgresConnection postgres, List<AutoCloseable> resources)
            throws TimeoutException
    {
        RealTimeGroupWriter writer = new RealTimeGroupWriter(postgres, bootstrapServers, config.kafka().deadLetterTopic(), config.speed().groupMax(),
                config.speed().groupTrades());
        StreamingQuery query = new RealTimeSpeedQuery(spark, bootstrapServers, config.kafka().topic(), config.speed().checkpointDir(), RealTimeSpeedQuery.EPOCH, writer).start();
        RealTimeProgress progress = new RealTimeProgress(postgres, bootstrapServers, config.kafka().topic());
        resources.add(progress);
        String description = bootstrapServers + " topic " + config.kafka().topic() + " -> " + postgres.redactedUrl() + ", real-time mode (groups of up to "
                + config.speed().groupTrades() + " trades or " + config.speed().groupMax().toMillis() + " ms), checkpoint " + config.speed().checkpointDir();
        return new SpeedLayer(spark, query, () -> progress.sample(System.currentTimeMillis()), description, resources);
    }

    /** Where it reads and writes, in which mode: the start line. */
    public String describe()
    {
        return description;
    }

    /** The figures now, for status. */
    public SpeedMetrics metrics()
    {
        return metrics.get();
    }

    /**
     * Waits up to {@code timeout} for the query to end.
     *
     * @return true when it ended (stopped)
     * @throws IllegalStateException when it failed, with its cause in one line (Spark's own report spans a page)
     */
    public boolean awaitTermination(Duration timeout)
    {
        try {
            return query.awaitTermination(timeout.toMillis());
        }
        catch (StreamingQueryException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the speed query failed: " + Failures.oneLine(cause), e);
        }
    }

    /** Stops the query, from any thread; the checkpoint replays a batch it did not finish. */
    public void stop()
    {
        try {
            query.stop();
        }
        catch (TimeoutException e) {
            // The query did not stop in time; the JVM exits anyway and the checkpoint replays the batch.
        }
    }

    @Override
    public void close()
    {
        stop();
        closeAll(resources);
        spark.stop();
    }

    private static void closeAll(List<AutoCloseable> resources)
    {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            }
            catch (Exception e) {
                // Closing on the way out: the query is stopped and its checkpoint is what counts.
            }
        }
    }
}
