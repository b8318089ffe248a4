package io.lambdatrades.embedded;

import java.nio.file.Path;

/** The metastore's database directory is open in another JVM: Derby lets one JVM at a time boot it. */
public final class MetastoreInUseException
        extends RuntimeException
{
    public MetastoreInUseException(Path directory)
    {
        super("the metastore database in " + directory + " is open in another process (another lambda command on this data directory?); "
                + "start 'lambda up' on it to let commands share the metastore");
    }
}
