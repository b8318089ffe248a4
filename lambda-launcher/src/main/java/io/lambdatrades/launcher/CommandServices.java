package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.launcher.status.RunningServices;

import static java.util.Objects.requireNonNull;

/**
 * What a command that works on the running system starts from: the services it found (those of a
 * running {@code up}, or the configured ones) and PostgreSQL with its schema migrated.
 */
public record CommandServices(RunningServices services, PostgresConnection postgres)
{
    public CommandServices
    {
        requireNonNull(services, "services is null");
        requireNonNull(postgres, "postgres is null");
    }

    public String bootstrapServers()
    {
        return services.bootstrapServers();
    }
}
