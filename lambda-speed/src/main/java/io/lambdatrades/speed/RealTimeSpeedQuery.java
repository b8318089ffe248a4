package io.lambdatrades.speed;

import io.lambdatrades.common.SpeedQueryNames;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The speed query in Spark's real-time mode: each Kafka partition is read by a task that runs for a
 * whole epoch and hands every trade to a {@link RealTimeGroupWriter} as it arrives, instead of once
 * per micro-batch. It needs a task slot for each partition at once ({@code local[N]}, N at least the
 * partition count). The checkpoint records each epoch's end offsets; a restart reads from there and
 * the sink skips what it had written.
 */
public final class RealTimeSpeedQuery
{
    /**
     * How long an epoch lasts: the checkpoint's granularity, not the trades' delay. A failure on the
     * writer's flusher thread reaches the task at its next trade or at the epoch's end, whichever is first.
     */
    public static final Duration EPOCH = Duration.ofMinutes(1);

    private final SparkSession spark;
    private final String bootstrapServers;
    private final String topic;
    private final String checkpointDir;
    private final Duration epoch;
    private final RealTimeGroupWriter writer;

    public RealTimeSpeedQuery(SparkSession spark, String bootstrapServers, String topic, String checkpointDir, Duration epoch, RealTimeGroupWriter writer)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.checkpointDir = requireNonNull(checkpointDir, "checkpointDir is null");
        this.epoch = requireNonNull(epoch, "epoch is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    public StreamingQuery start()
            throws TimeoutException
    {
        return spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                // A fetch waiting at the broker returns as soon as a record arrives: a short wait only adds
                // empty fetches (300 a second for 3 partitions at 10 ms), half the broker's CPU at 200 trades/s.
                .option("kafka.fetch.max.wait.ms", "500")
                .option("failOnDataLoss", "false")
                .load()
                .select("value", "partition", "offset")
                .writeStream()
                .queryName(SpeedQueryNames.QUERY)
                // Real-time mode takes only the update mode; rows pass through unchanged either way.
                .outputMode("update")
                .option("checkpointLocation", checkpointDir)
                .trigger(Trigger.RealTime(epoch.toMillis()))
                .foreach(writer)
                .start();
    }
}
