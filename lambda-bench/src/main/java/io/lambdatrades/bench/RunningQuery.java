package io.lambdatrades.bench;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.config.Settings;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.speed.RealTimeGroupWriter;
import io.lambdatrades.speed.RealTimeSpeedQuery;
import io.lambdatrades.speed.SpeedBatchWriter;
import io.lambdatrades.speed.SpeedQuery;
import io.lambdatrades.speed.SpeedSink;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** The speed query of one mode as the benchmark drives it: started, counted, stopped. */
final class RunningQuery
{
    private final StreamingQuery query;
    private final SpeedBatchWriter microBatchWriter;
    private final PostgresConnection database;

    private RunningQuery(StreamingQuery query, SpeedBatchWriter microBatchWriter, PostgresConnection database)
    {
        this.query = query;
        this.microBatchWriter = microBatchWriter;
        this.database = database;
    }

    /** @param mode realtime or microbatch, configured as {@code lambda speed} configures it by default */
    static RunningQuery start(String mode, SparkSession spark, EmbeddedKafka kafka, String topic, PostgresConnection database, String checkpoint)
            throws TimeoutException
    {
        if (mode.equals("realtime")) {
            RealTimeGroupWriter writer = new RealTimeGroupWriter(database, kafka.bootstrapServers(), topic + ".dlq", Duration.ofMillis(groupMillis()), groupTrades());
            return new RunningQuery(new RealTimeSpeedQuery(spark, kafka.bootstrapServers(), topic, checkpoint, RealTimeSpeedQuery.EPOCH, writer).start(), null, database);
        }
        SpeedBatchWriter writer = new SpeedBatchWriter(new SpeedSink(database, SpeedQueryNames.QUERY), deadLetter -> CompletableFuture.completedFuture(null));
        StreamingQuery query = new SpeedQuery(spark, kafka.bootstrapServers(), topic, checkpoint,
                Duration.ofMillis(Long.getLong("trigger.ms", 100)), Integer.getInteger("max.batch.trades", 100_000), writer).start();
        return new RunningQuery(query, writer, database);
    }

    /** Trades written so far: the micro-batch writer's count, or the real-time writers' counts in PostgreSQL. */
    long written()
            throws SQLException
    {
        if (microBatchWriter != null) {
            return microBatchWriter.written();
        }
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT coalesce(sum(trades), 0) FROM lambda.speed_batches WHERE query_name = '" + SpeedQueryNames.REAL_TIME_GROUPS + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Where a micro-batch's time went; real-time mode has no batches to split. */
    String split(BatchDurations durations)
    {
        if (microBatchWriter == null) {
            return "groups of up to " + groupTrades() + " trades or " + groupMillis() + " ms";
        }
        SpeedBatchWriter.Timings timings = microBatchWriter.timings();
        return String.format(Locale.ROOT, "%d batches, per batch %d ms in Spark (read + collect), %d ms writing to PostgreSQL; Spark's own split: %s",
                timings.batches(), timings.collectMillis() / Math.max(1, timings.batches()), timings.writeMillis() / Math.max(1, timings.batches()),
                durations.describe());
    }

    // lambda speed's defaults unless -Dgroup.ms or -Dgroup.trades says otherwise.
    private static long groupMillis()
    {
        return Long.getLong("group.ms", Long.parseLong(Settings.SPEED_GROUP_MS.defaultValue()));
    }

    private static int groupTrades()
    {
        return Integer.getInteger("group.trades", Integer.parseInt(Settings.SPEED_GROUP_TRADES.defaultValue()));
    }

    void stop()
            throws TimeoutException
    {
        query.stop();
    }
}
