package io.lambdatrades.batch;

import io.lambdatrades.common.config.BatchConfig;
import org.apache.spark.sql.SparkSession;

/** A Spark session with Hive support on the configured metastore and warehouse. */
public final class HiveSessions
{
    private HiveSessions() {}

    /**
     * @param metastoreJdbcUrl the embedded metastore's database (Derby network server); ignored when
     * the configuration names a thrift metastore
     */
    public static SparkSession create(String appName, BatchConfig config, String metastoreJdbcUrl)
    {
        SparkSession.Builder builder = SparkSession.builder()
                .appName(appName)
                .master(config.spark().master())
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", config.warehouseDir())
                // Readers other than Spark (DuckDB, pandas, Tableau) expect standard timestamps, not INT96.
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                .config("spark.hadoop.hive.exec.dynamic.partition.mode", "nonstrict")
                // trade_date stays the string of the contract, not a date Spark guesses from the directory name.
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                .config("spark.sql.datetime.java8API.enabled", "true")
                // A task writes the few trade dates it meets through open writers instead of sorting its rows by date first.
                .config("spark.sql.optimizer.plannedWrite.enabled", "false")
                .config("spark.sql.maxConcurrentOutputFileWriters", "32")
                // The views' tables find their partitions in their directories rather than in the metastore.
                .config("spark.sql.hive.manageFilesourcePartitions", "false");
        if (config.metastoreUri().isPresent()) {
            builder.config("spark.hadoop.hive.metastore.uris", config.metastoreUri().get().toString());
        }
        else {
            builder.config("spark.hadoop.javax.jdo.option.ConnectionURL", metastoreJdbcUrl)
                    .config("spark.hadoop.javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.ClientDriver");
        }
        if (config.spark().isLocal()) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        config.spark().properties().forEach(builder::config);
        return builder.enableHiveSupport().getOrCreate();
    }
}
