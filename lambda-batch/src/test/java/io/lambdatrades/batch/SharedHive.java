package io.lambdatrades.batch;

import io.lambdatrades.common.config.BatchConfig;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.embedded.EmbeddedMetastoreDatabase;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One metastore database (Derby's network server) and one Spark session with Hive support for the
 * whole test JVM. Tests share them, so each gives the pipeline a warehouse and views of its own.
 */
final class SharedHive
        implements ParameterResolver
{
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == Hive.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(Hive.class, key -> start(), Hive.class);
    }

    private static Hive start()
    {
        try {
            Path root = Files.createTempDirectory("shared-hive");
            EmbeddedMetastoreDatabase metastore = EmbeddedMetastoreDatabase.start(root.resolve("metastore"), 0);
            BatchConfig config = Hive.config(root, root.resolve("warehouse"), root.resolve("views"));
            // As lambda up does: the metastore's tables exist before the first Spark session.
            MetastoreSchema.create(metastore.jdbcUrl(), config.warehouseDir());
            return new Hive(root, metastore, HiveSessions.create("batch-it", config, metastore.jdbcUrl()));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Hive(Path root, EmbeddedMetastoreDatabase metastore, SparkSession spark)
            implements AutoCloseable
    {
        Path warehouse()
        {
            return root.resolve("warehouse");
        }

        static BatchConfig config(Path root, Path warehouse, Path views)
        {
            return new BatchConfig(SparkConfig.local(2), Optional.empty(), 0, root.resolve("metastore"), warehouse.toUri().toString(), views.toUri().toString(), Duration.ofDays(1), false);
        }

        @Override
        public void close()
                throws Exception
        {
            spark.stop();
            metastore.close();
        }
    }
}
