package io.lambdatrades.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Where the PostgreSQL database of schema {@code lambda} lives.
 *
 * @param password may be empty (trust authentication of the embedded server), never null
 */
public record PostgresConnection(String jdbcUrl, String user, String password)
{
    public PostgresConnection
    {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
    }

    public Connection open()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl, properties);
    }

    /** The URL without its query string, which may carry a password. */
    public String redactedUrl()
    {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }

    @Override
    public String toString()
    {
        return "PostgresConnection[" + redactedUrl() + ", user=" + user + "]";
    }
}
