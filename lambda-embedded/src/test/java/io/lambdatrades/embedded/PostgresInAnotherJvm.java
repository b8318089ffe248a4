package io.lambdatrades.embedded;

import io.lambdatrades.embedded.testing.SharedPostgres;

import java.nio.file.Path;

/** Starts a server on a data directory and waits to be killed, as {@code lambda up} would be. */
public final class PostgresInAnotherJvm
{
    private PostgresInAnotherJvm() {}

    public static void main(String[] args)
            throws Exception
    {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Path.of(args[0]), SharedPostgres.binariesDir(), 0);
        System.out.println("JDBC " + server.connection().jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
