package io.lambdatrades.launcher.batch;

import io.lambdatrades.batch.HiveSessions;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.status.RunningServices;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The Spark session of a batch command, started with its metastore the first time a task needs it: a
 * run with nothing to absorb and nothing to recompute never pays for either.
 */
public final class BatchSpark
        implements Supplier<SparkSession>, AutoCloseable
{
    private final LambdaConfig config;
    private final RunningServices services;
    private final Console console;
    private MetastoreAccess metastore;
    private SparkSession spark;
    private SparkProgress progress;

    BatchSpark(LambdaConfig config, RunningServices services, Console console)
    {
        this.config = requireNonNull(config, "config is null");
        this.services = requireNonNull(services, "services is null");
        this.console = requireNonNull(console, "console is null");
    }

    @Override
    public synchronized SparkSession get()
    {
        if (spark == null) {
            long started = System.nanoTime();
            metastore = MetastoreAccess.open(config, services);
            spark = HiveSessions.create("lambda-batch", config.batch(), metastore.jdbcUrl());
            // Spark connects to the metastore lazily; done here, the set-up's cost shows as its own.
            spark.catalog().databaseExists("default");
            progress = new SparkProgress(spark, console);
            console.line(String.format(Locale.ROOT, "  spark     session %s and metastore ready in %.1f s", config.batch().spark().master(), (System.nanoTime() - started) / 1e9));
        }
        return spark;
    }

    @Override
    public synchronized void close()
            throws Exception
    {
        try {
            if (progress != null) {
                progress.close();
            }
            if (spark != null) {
                spark.stop();
            }
        }
        finally {
            if (metastore != null) {
                metastore.close();
            }
        }
    }
}
