package io.lambdatrades.common;

import java.sql.SQLException;
import java.util.Set;

/**
 * Which PostgreSQL failures are worth a retry, decided once for every layer by SQLSTATE class (as
 * Debezium's PostgresErrorHandler does): a lost connection (08), a serialization failure or deadlock
 * (40), exhausted resources (53) and a server shutting down or restarting (57) pass; bad data (22),
 * an integrity violation (23), a syntax or schema error (42) and anything else would fail again the
 * same way, so the layer fails at once with one line and its supervisor restarts it.
 */
public final class PostgresErrors
{
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57");

    private PostgresErrors() {}

    public static boolean isTransient(SQLException e)
    {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
                return TRANSIENT_CLASSES.contains(sql.getSQLState().substring(0, 2));
            }
        }
        // No SQLSTATE at all: the driver lost the server before it could answer.
        return true;
    }
}
