package io.lambdatrades.common.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The batch layer: where the master dataset and the views live, which metastore records them, and
 * the period the cutoff is aligned to.
 *
 * @param metastoreUri an external Hive metastore, or empty for the embedded one
 * @param metastoreDir where the embedded metastore's database lives
 * @param warehouseDir the Hive warehouse as a URI (file:, hdfs:, s3a:)
 * @param viewsDir the Parquet views' root as a URI
 * @param audit whether each run ends with an audit of the dates it published against the trades
 */
public record BatchConfig(
        SparkConfig spark,
        Optional<URI> metastoreUri,
        int metastorePort,
        Path metastoreDir,
        String warehouseDir,
        String viewsDir,
        Duration period,
        boolean audit)
{
    public BatchConfig
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(metastoreUri, "metastoreUri is null");
        requireNonNull(metastoreDir, "metastoreDir is null");
        requireNonNull(warehouseDir, "warehouseDir is null");
        requireNonNull(viewsDir, "viewsDir is null");
        requireNonNull(period, "period is null");
    }

    static BatchConfig from(ConfigValues values, Path dataDir)
    {
        return new BatchConfig(
                SparkConfig.from(values),
                values.get(Settings.METASTORE_URI),
                values.get(Settings.METASTORE_PORT),
                dataDir.resolve("metastore"),
                values.get(Settings.WAREHOUSE_DIR).orElseGet(() -> ValueParsers.location(dataDir.resolve("warehouse"))),
                values.get(Settings.VIEWS_DIR).orElseGet(() -> ValueParsers.location(dataDir.resolve("views"))),
                values.get(Settings.BATCH_PERIOD),
                values.get(Settings.BATCH_AUDIT));
    }
}
