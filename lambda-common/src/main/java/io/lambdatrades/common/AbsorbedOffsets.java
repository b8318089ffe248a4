package io.lambdatrades.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** How far the master dataset has absorbed a topic ({@code absorb_offsets}): what the batch layer resumes from and status measures the backlog from. */
public final class AbsorbedOffsets
{
    private AbsorbedOffsets() {}

    /** The next offset to absorb per partition; a partition never absorbed is absent. */
    public static Map<Integer, Long> read(PostgresConnection postgres, String topic)
            throws SQLException
    {
        try (Connection connection = postgres.open()) {
            return read(connection, topic);
        }
    }

    /** The same, read on a connection of the caller's: in its transaction's snapshot. */
    public static Map<Integer, Long> read(Connection connection, String topic)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT kafka_partition, next_offset FROM lambda.absorb_offsets WHERE topic = ?")) {
            statement.setString(1, topic);
            Map<Integer, Long> offsets = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    offsets.put(rows.getInt(1), rows.getLong(2));
                }
            }
            return offsets;
        }
    }
}
