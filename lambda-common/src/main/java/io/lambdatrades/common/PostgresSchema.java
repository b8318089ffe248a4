package io.lambdatrades.common;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import java.sql.Connection;
import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/** Applies the migrations of schema {@code lambda} (SPEC 5) to a PostgreSQL database. */
public final class PostgresSchema
{
    public static final String SCHEMA = "lambda";

    private final PostgresConnection connection;

    public PostgresSchema(PostgresConnection connection)
    {
        this.connection = requireNonNull(connection, "connection is null");
    }

    /** Migrates to the newest version; returns how many migrations ran now. */
    public int migrate()
    {
        requireReachable();
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(connection.jdbcUrl(), connection.user(), connection.password())
                    .schemas(SCHEMA)
                    .createSchemas(true)
                    .locations("classpath:io/lambdatrades/common/migration")
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        }
        catch (FlywayException e) {
            throw new IllegalStateException("cannot migrate schema '" + SCHEMA + "' at " + connection.redactedUrl() + ": " + e.getMessage(), e);
        }
    }

    /** Flyway's own report of a refused connection runs over several lines with a banner: the driver's says it in one. */
    private void requireReachable()
    {
        try (Connection ignored = connection.open()) {
            // Reachable, with these credentials.
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot connect to PostgreSQL at " + connection.redactedUrl() + ": " + e.getMessage(), e);
        }
    }
}
