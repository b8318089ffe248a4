package io.lambdatrades.speed;

import io.lambdatrades.common.config.SparkConfig;
import org.apache.spark.sql.SparkSession;

/** A Spark session for one machine or a cluster, quiet and bound to the loopback address when local. */
public final class SparkSessions
{
    private SparkSessions() {}

    public static SparkSession create(String appName, SparkConfig spark)
    {
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .master(spark.master())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                // Streaming queries run without adaptive execution anyway; left on, each start warns that it is off.
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.sql.streaming.minBatchesToRetain", "20")
                // The default (FileContext) manager's rename forks a readlink process per file on a local disk:
                // 8 forks of this JVM, about 150 ms, per micro-batch. FileSystem's rename is atomic locally and on HDFS.
                .config("spark.sql.streaming.checkpointFileManagerClass",
                        "org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager");
        if (spark.isLocal()) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        spark.properties().forEach(builder::config);
        return builder.getOrCreate();
    }
}
