package io.lambdatrades.batch;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import static java.util.Objects.requireNonNull;

/**
 * Creates the Hive metastore's tables in the embedded metastore database, once, before any Spark
 * command uses it. Left to the first clients, two JVMs opening a new database at the same time
 * (a batch run and {@code lambda sql}) both issue Hive's CREATE TABLEs and Derby kills one of them
 * as a deadlock.
 */
public final class MetastoreSchema
{
    private MetastoreSchema() {}

    /**
     * @param warehouseDir the default database's location, as Spark would record it
     */
    public static void create(String metastoreJdbcUrl, String warehouseDir)
    {
        requireNonNull(metastoreJdbcUrl, "metastoreJdbcUrl is null");
        requireNonNull(warehouseDir, "warehouseDir is null");
        HiveConf conf = new HiveConf();
        conf.set("javax.jdo.option.ConnectionURL", metastoreJdbcUrl);
        conf.set("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.ClientDriver");
        // What Spark's own metastore client does with a database it finds empty.
        conf.setBoolean("hive.metastore.schema.verification", false);
        conf.setBoolean("datanucleus.schema.autoCreateAll", true);
        conf.set("hive.metastore.warehouse.dir", qualified(warehouseDir, conf));
        // The database was just started on this machine: a refusal is not worth Hive's default 10 attempts 2 s apart.
        conf.setInt("hive.hmshandler.retry.attempts", 2);
        conf.set("hive.hmshandler.retry.interval", "1s");
        // A local client (no thrift URI) runs the metastore in this JVM: opening it creates the tables and the default database.
        // It runs on a thread of its own because Hive keeps the metastore's store per thread, and closing the client
        // leaves that thread's store closed for any Spark session that later runs on it.
        FutureTask<Void> open = new FutureTask<>(() -> {
            new HiveMetaStoreClient(conf).close();
            return null;
        });
        Thread thread = new Thread(open, "metastore-schema");
        thread.start();
        try {
            open.get();
        }
        catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the metastore's tables in " + metastoreJdbcUrl + ": " + e.getCause().getMessage(), e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the metastore's tables in " + metastoreJdbcUrl, e);
        }
    }

    private static String qualified(String directory, HiveConf conf)
    {
        Path path = new Path(directory);
        try {
            return path.getFileSystem(conf).makeQualified(path).toString();
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot resolve the warehouse directory " + directory + ": " + e.getMessage(), e);
        }
    }
}
