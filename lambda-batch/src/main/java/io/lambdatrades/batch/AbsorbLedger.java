package io.lambdatrades.batch;

import io.lambdatrades.common.AbsorbedOffsets;
import io.lambdatrades.common.PostgresConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * The absorb's record in PostgreSQL: which offsets the master dataset holds, and which staged files
 * a committed absorb still has to move into the table. The commit is the one atomic step.
 */
public final class AbsorbLedger
{
    private final PostgresConnection postgres;

    public AbsorbLedger(PostgresConnection postgres)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
    }

    /** The next offset to absorb per partition; a partition never absorbed is absent. */
    public Map<Integer, Long> nextOffsets(String topic)
            throws SQLException
    {
        return AbsorbedOffsets.read(postgres, topic);
    }

    /**
     * Records in one transaction the staged files, the offsets they cover, the offsets of that range
     * Kafka no longer had and those that did not decode, and the dates whose views are now stale. From
     * here on the absorb counts as done, whatever happens to the process.
     */
    public long commit(Absorb absorb)
            throws SQLException
    {
        String topic = absorb.topic();
        try (Connection connection = postgres.open()) {
            connection.setAutoCommit(false);
            long absorbId;
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO lambda.absorb_runs (topic, staging_dir, trades) VALUES (?, ?, ?) RETURNING absorb_id")) {
                statement.setString(1, topic);
                statement.setString(2, absorb.stagingDir());
                statement.setLong(3, absorb.trades());
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    absorbId = rows.getLong(1);
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO lambda.absorb_files (absorb_id, staged_path, final_path, trade_date) VALUES (?, ?, ?, ?)")) {
                for (StagedFile file : absorb.files()) {
                    statement.setLong(1, absorbId);
                    statement.setString(2, file.stagedPath());
                    statement.setString(3, file.finalPath());
                    statement.setString(4, file.tradeDate());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO lambda.absorb_offsets (topic, kafka_partition, next_offset, absorb_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT (topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, absorb_id = EXCLUDED.absorb_id""")) {
                for (Map.Entry<Integer, Long> offset : absorb.endOffsets().entrySet()) {
                    statement.setString(1, topic);
                    statement.setInt(2, offset.getKey());
                    statement.setLong(3, offset.getValue());
                    statement.setLong(4, absorbId);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO lambda.batch_dirty_dates (trade_date) VALUES (?) ON CONFLICT DO NOTHING")) {
                for (String date : absorb.tradeDates()) {
                    statement.setObject(1, LocalDate.parse(date));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            // The batch run records these too, later; here they are safe from a crash in between.
            try (PreparedStatement statement = connection.prepareStatement("""
                    INSERT INTO lambda.retention_losses (topic, kafka_partition, first_offset, last_offset) VALUES (?, ?, ?, ?)
                    ON CONFLICT (topic, kafka_partition, first_offset) DO NOTHING""")) {
                for (AbsorbBacklog.ExpiredOffsets gone : absorb.vanished()) {
                    statement.setString(1, topic);
                    statement.setInt(2, gone.partition());
                    statement.setLong(3, gone.first());
                    statement.setLong(4, gone.last());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO lambda.absorb_undecodable (absorb_id, topic, kafka_partition, first_offset, end_offset) VALUES (?, ?, ?, ?, ?)")) {
                for (Map.Entry<Integer, List<OffsetCoverage.Range>> partition : absorb.undecodable().entrySet()) {
                    for (OffsetCoverage.Range range : partition.getValue()) {
                        statement.setLong(1, absorbId);
                        statement.setString(2, topic);
                        statement.setInt(3, partition.getKey());
                        statement.setLong(4, range.first());
                        statement.setLong(5, range.end());
                        statement.addBatch();
                    }
                }
                statement.executeBatch();
            }
            connection.commit();
            return absorbId;
        }
    }

    /** Committed absorbs whose files are not all in the table yet, oldest first. */
    public List<PendingInstall> pendingInstalls()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT r.absorb_id, r.staging_dir, f.staged_path, f.final_path, f.trade_date
                        FROM lambda.absorb_runs r JOIN lambda.absorb_files f ON f.absorb_id = r.absorb_id
                        WHERE r.installed_at IS NULL ORDER BY r.absorb_id, f.final_path""");
                ResultSet rows = statement.executeQuery()) {
            Map<Long, PendingInstall> pending = new LinkedHashMap<>();
            while (rows.next()) {
                long absorbId = rows.getLong(1);
                String stagingDir = rows.getString(2);
                pending.computeIfAbsent(absorbId, id -> new PendingInstall(id, stagingDir, new ArrayList<>()))
                        .files().add(new StagedFile(rows.getString(3), rows.getString(4), rows.getString(5)));
            }
            return List.copyOf(pending.values());
        }
    }

    public void markInstalled(long absorbId)
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("UPDATE lambda.absorb_runs SET installed_at = now() WHERE absorb_id = ?")) {
            statement.setLong(1, absorbId);
            statement.executeUpdate();
        }
    }

    /** The trade dates the master dataset holds: those of every installed absorb, known without listing the table. */
    public SortedSet<String> installedDates()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("""
                        SELECT DISTINCT f.trade_date FROM lambda.absorb_files f JOIN lambda.absorb_runs r ON r.absorb_id = f.absorb_id
                        WHERE r.installed_at IS NOT NULL""");
                ResultSet rows = statement.executeQuery()) {
            SortedSet<String> dates = new TreeSet<>();
            while (rows.next()) {
                dates.add(rows.getString(1));
            }
            return dates;
        }
    }

    /** Dates whose views are older than their data. */
    public Set<LocalDate> dirtyDates()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("SELECT trade_date FROM lambda.batch_dirty_dates");
                ResultSet rows = statement.executeQuery()) {
            Set<LocalDate> dates = new TreeSet<>();
            while (rows.next()) {
                dates.add(rows.getObject(1, LocalDate.class));
            }
            return dates;
        }
    }

    /**
     * What one absorb staged.
     *
     * @param endOffsets the next offset per partition once this absorb is in
     * @param vanished offsets of the absorbed range that Kafka deleted while they were read
     * @param undecodable offsets of the absorbed range that did not decode, per partition
     */
    public record Absorb(String topic, String stagingDir, long trades, List<StagedFile> files, Map<Integer, Long> endOffsets, Set<String> tradeDates,
            List<AbsorbBacklog.ExpiredOffsets> vanished, Map<Integer, List<OffsetCoverage.Range>> undecodable)
    {
        public Absorb
        {
            requireNonNull(topic, "topic is null");
            requireNonNull(stagingDir, "stagingDir is null");
            files = List.copyOf(files);
            endOffsets = Map.copyOf(endOffsets);
            tradeDates = Set.copyOf(tradeDates);
            vanished = List.copyOf(vanished);
            undecodable = Map.copyOf(undecodable);
        }
    }

    /** A file written by an absorb outside the table, and where it goes in the table. */
    public record StagedFile(String stagedPath, String finalPath, String tradeDate)
    {
        public StagedFile
        {
            requireNonNull(stagedPath, "stagedPath is null");
            requireNonNull(finalPath, "finalPath is null");
            requireNonNull(tradeDate, "tradeDate is null");
        }
    }

    public record PendingInstall(long absorbId, String stagingDir, List<StagedFile> files)
    {
        public PendingInstall
        {
            requireNonNull(stagingDir, "stagingDir is null");
            requireNonNull(files, "files is null");
        }
    }
}
