package io.lambdatrades.embedded.testing;

import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain SQL for tests, on a connection of its own each time, as any PostgreSQL client would run it. */
public final class TestSql
{
    private TestSql() {}

    /** The first column of every row, as text. */
    public static List<String> column(PostgresConnection database, String sql)
            throws SQLException
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }

    public static void execute(PostgresConnection database, String sql)
            throws SQLException
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
