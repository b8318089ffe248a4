package io.lambdatrades.serving;

import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Role {@code lambda_reader} (created by a migration, SELECT on the serving views only) gets the
 * configured password and may log in; without a password it may not. BI tools use it, never the owner.
 */
public final class ReaderRole
{
    public static final String NAME = "lambda_reader";

    private ReaderRole() {}

    public static void apply(PostgresConnection owner, String password)
    {
        try (Connection connection = owner.open()) {
            String statement;
            if (password.isEmpty()) {
                statement = "ALTER ROLE " + NAME + " NOLOGIN";
            }
            else {
                try (PreparedStatement format = connection.prepareStatement("SELECT format('ALTER ROLE " + NAME + " LOGIN PASSWORD %L', ?::text)")) {
                    format.setString(1, password);
                    try (ResultSet rows = format.executeQuery()) {
                        rows.next();
                        statement = rows.getString(1);
                    }
                }
            }
            try (Statement alter = connection.createStatement()) {
                alter.execute(statement);
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot set up role " + NAME + " at " + owner.redactedUrl() + ": " + e.getMessage(), e);
        }
    }
}
