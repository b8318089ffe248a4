package io.lambdatrades.embedded.testing;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.embedded.EmbeddedPostgresServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** A database of its own for one test on the shared server, with the schema migrated. */
public final class TestDatabases
{
    private TestDatabases() {}

    public static PostgresConnection fresh(EmbeddedPostgresServer postgres, String name)
            throws SQLException
    {
        try (Connection connection = postgres.connection().open(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
        }
        PostgresConnection database = new PostgresConnection(postgres.connection().jdbcUrl().replace("/postgres", "/" + name), "postgres", "");
        new PostgresSchema(database).migrate();
        return database;
    }
}
