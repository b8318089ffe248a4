package io.lambdatrades.launcher.up;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.EmbeddedPostgresServer;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The PostgreSQL {@code up} uses: the configured one, or the embedded server it started. */
record PostgresService(PostgresConnection connection, Optional<EmbeddedPostgresServer> server)
        implements AutoCloseable
{
    PostgresService
    {
        requireNonNull(connection, "connection is null");
        requireNonNull(server, "server is null");
    }

    @Override
    public void close()
    {
        server.ifPresent(EmbeddedPostgresServer::close);
    }
}
