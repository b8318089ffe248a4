package io.lambdatrades.speed;

import io.lambdatrades.common.SpeedQueryNames;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The speed layer's Structured Streaming query: the trade topic, micro-batches on a short trigger,
 * offsets in a checkpoint, each batch handed to the {@link SpeedBatchWriter}.
 */
public final class SpeedQuery
{

    private final SparkSession spark;
    private final String bootstrapServers;
    private final String topic;
    private final String checkpointDir;
    private final Duration trigger;
    private final int maxBatchTrades;
    private final SpeedBatchWriter writer;

    /**
     * @param checkpointDir a path or a URI (file:, hdfs:, s3a:)
     * @param maxBatchTrades most trades one micro-batch takes, so that a backlog never has to fit the driver at once
     */
    public SpeedQuery(SparkSession spark, String bootstrapServers, String topic, String checkpointDir, Duration trigger, int maxBatchTrades, SpeedBatchWriter writer)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.checkpointDir = requireNonNull(checkpointDir, "checkpointDir is null");
        this.trigger = requireNonNull(trigger, "trigger is null");
        this.maxBatchTrades = maxBatchTrades;
        this.writer = requireNonNull(writer, "writer is null");
    }

    public StreamingQuery start()
            throws TimeoutException
    {
        Dataset<Row> trades = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                // The broker otherwise holds each fetch up to 500 ms waiting for data: most of the delay.
                .option("kafka.fetch.max.wait.ms", "10")
                .option("failOnDataLoss", "false")
                .option("maxOffsetsPerTrigger", Integer.toString(maxBatchTrades))
                .load();
        VoidFunction2<Dataset<Row>, Long> sink = (batch, batchId) -> writer.write(batch, batchId);
        return trades.writeStream()
                .queryName(SpeedQueryNames.QUERY)
                .option("checkpointLocation", checkpointDir)
                .trigger(Trigger.ProcessingTime(trigger.toMillis()))
                .foreachBatch(sink)
                .start();
    }
}
