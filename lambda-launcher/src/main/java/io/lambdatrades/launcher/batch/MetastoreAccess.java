package io.lambdatrades.launcher.batch;

import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.embedded.EmbeddedMetastoreDatabase;
import io.lambdatrades.launcher.status.RunningServices;

import java.util.Optional;

/**
 * The metastore a Spark command uses: the configured thrift metastore, else the embedded database
 * of the running {@code lambda up}, else an embedded one this command starts for as long as it runs.
 */
public final class MetastoreAccess
        implements AutoCloseable
{
    private final String jdbcUrl;
    private final Optional<EmbeddedMetastoreDatabase> owned;

    private MetastoreAccess(String jdbcUrl, Optional<EmbeddedMetastoreDatabase> owned)
    {
        this.jdbcUrl = jdbcUrl;
        this.owned = owned;
    }

    static MetastoreAccess open(LambdaConfig config, RunningServices services)
    {
        if (config.batch().metastoreUri().isPresent()) {
            return new MetastoreAccess("", Optional.empty());
        }
        Optional<String> running = services.metastoreJdbcUrl();
        if (running.isPresent()) {
            return new MetastoreAccess(running.get(), Optional.empty());
        }
        EmbeddedMetastoreDatabase database = EmbeddedMetastoreDatabase.start(config.batch().metastoreDir(), config.batch().metastorePort());
        return new MetastoreAccess(database.jdbcUrl(), Optional.of(database));
    }

    /** The embedded database's JDBC URL; "" with a thrift metastore. */
    String jdbcUrl()
    {
        return jdbcUrl;
    }

    @Override
    public void close()
            throws Exception
    {
        if (owned.isPresent()) {
            owned.get().close();
        }
    }
}
