package io.lambdatrades.batch;

import io.lambdatrades.batch.SharedHive.Hive;
import org.apache.spark.sql.catalog.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The metastore's tables created ahead of Spark, on the shared metastore database that {@link SharedHive} created them in. */
@ExtendWith(SharedHive.class)
class MetastoreSchemaIT
{
    @Test
    void sparkFindsTheDefaultDatabaseInTheWarehouse(Hive hive)
            throws Exception
    {
        Database database = hive.spark().catalog().getDatabase("default");

        assertThat(Path.of(URI.create(database.locationUri()))).isEqualTo(hive.warehouse().toAbsolutePath());
    }

    @Test
    void creatingAgainOnTheSameDatabaseChangesNothing(Hive hive)
    {
        hive.spark().sql("CREATE TABLE IF NOT EXISTS schema_probe (id INT) STORED AS AVRO");

        MetastoreSchema.create(hive.metastore().jdbcUrl(), hive.warehouse().toUri().toString());

        // Spark's metastore client, on this same thread, still works after the schema's own client closed.
        assertThat(hive.spark().catalog().tableExists("default", "schema_probe")).isTrue();
        assertThat(hive.spark().sql("SELECT count(*) FROM schema_probe").first().getLong(0)).isZero();
    }

    @Test
    void aDeadDatabaseIsOneClearError()
    {
        assertThatThrownBy(() -> MetastoreSchema.create("jdbc:derby://127.0.0.1:1/metastore;create=true", "file:/tmp/warehouse"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot create the metastore's tables in jdbc:derby://127.0.0.1:1/metastore");
    }
}
