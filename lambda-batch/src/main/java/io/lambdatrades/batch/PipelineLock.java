package io.lambdatrades.batch;

import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One batch run at a time per PostgreSQL database, whichever process starts it: a session-level
 * advisory lock, released when the holder closes it or dies.
 */
final class PipelineLock
        implements AutoCloseable
{
    // An arbitrary key that the system uses for nothing else.
    private static final long KEY = 0x6c616d6264614254L;

    private final Connection connection;

    private PipelineLock(Connection connection)
    {
        this.connection = connection;
    }

    /** @throws BatchBusyException when another run holds it */
    static PipelineLock acquire(PostgresConnection postgres)
            throws SQLException
    {
        Connection connection = postgres.open();
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, KEY);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    connection.close();
                    throw new BatchBusyException("another batch run is in progress on " + postgres.redactedUrl() + "; try again when it has finished");
                }
            }
        }
        return new PipelineLock(connection);
    }

    /** Waits for a run in progress to finish; {@link BatchBusyException} when it has not within the timeout. */
    static PipelineLock await(PostgresConnection postgres, Duration timeout)
            throws SQLException, InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return acquire(postgres);
            }
            catch (BatchBusyException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                // Runs last seconds to minutes: a second's poll costs nothing and needs no notification.
                TimeUnit.SECONDS.sleep(1);
            }
        }
    }

    /** Unlocks before closing: the server ends a closed session's backend, and frees its locks, a moment after the client has gone. */
    @Override
    public void close()
            throws SQLException
    {
        try (connection; PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, KEY);
            statement.execute();
        }
    }

    static final class BatchBusyException
            extends IllegalStateException
    {
        BatchBusyException(String message)
        {
            super(message);
        }
    }
}
