package io.lambdatrades.scheduler;

import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Offsets Kafka deleted before the master dataset absorbed them, as the batch runs found them: the
 * system is degraded until an operator has acknowledged each.
 */
public final class RetentionLosses
{
    private final PostgresConnection postgres;

    public RetentionLosses(PostgresConnection postgres)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    public List<Loss> unacknowledged()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT loss_id, run_id, topic, kafka_partition, first_offset, last_offset, detected_at FROM lambda.retention_losses
                        WHERE acknowledged_at IS NULL ORDER BY loss_id""");
                ResultSet rows = statement.executeQuery()) {
            return losses(rows);
        }
    }

    /** @return the losses acknowledged now */
    public List<Loss> acknowledge(String by)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        UPDATE lambda.retention_losses SET acknowledged_at = now(), acknowledged_by = ? WHERE acknowledged_at IS NULL
                        RETURNING loss_id, run_id, topic, kafka_partition, first_offset, last_offset, detected_at""")) {
            statement.setString(1, by);
            try (ResultSet rows = statement.executeQuery()) {
                return losses(rows);
            }
        }
    }

    private static List<Loss> losses(ResultSet rows)
            throws SQLException
    {
        List<Loss> losses = new ArrayList<>();
        while (rows.next()) {
            long runId = rows.getLong(2);
            losses.add(new Loss(rows.getLong(1), rows.wasNull() ? null : runId, rows.getString(3), rows.getInt(4), rows.getLong(5), rows.getLong(6),
                    rows.getTimestamp(7).toInstant()));
        }
        return losses;
    }

    /** @param runId the run that found it, null when none did */
    public record Loss(long lossId, Long runId, String topic, int partition, long firstOffset, long lastOffset, Instant detectedAt)
    {
        public long offsets()
        {
            return lastOffset - firstOffset + 1;
        }

        public String describe()
        {
            return String.format(Locale.ROOT, "%,d offsets of %s partition %d (%d to %d), found by run %s at %s",
                    offsets(), topic, partition, firstOffset, lastOffset, runId == null ? "-" : runId, detectedAt);
        }
    }
}
