package io.lambdatrades.bench;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedCommitNotification;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each trade's commit became known: the speed sink's {@code NOTIFY lambda_speed}, sent at the
 * commit with the offsets it wrote, heard on a LISTEN connection. Real-time mode has no micro-batch
 * whose commit time would stand for all its trades; this measures both modes alike.
 */
final class CommitTimes
        implements AutoCloseable
{
    private final Connection connection;
    private final Thread listener;
    private final List<Heard> heard = new ArrayList<>();
    private volatile boolean stopping;

    private CommitTimes(Connection connection)
    {
        this.connection = connection;
        this.listener = new Thread(this::listen, "bench-commit-listener");
    }

    static CommitTimes listen(PostgresConnection database)
            throws SQLException
    {
        Connection connection = database.open();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + SpeedCommitNotification.CHANNEL);
        }
        CommitTimes times = new CommitTimes(connection);
        times.listener.start();
        return times;
    }

    private void listen()
    {
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (!stopping) {
                PGNotification[] notifications = pg.getNotifications(100);
                long now = System.currentTimeMillis();
                if (notifications != null) {
                    synchronized (heard) {
                        for (PGNotification notification : notifications) {
                            heard.add(new Heard(now, notification.getParameter()));
                        }
                    }
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("the commit listener failed: " + e.getMessage(), e);
        }
    }

    /** Each trade's delay, sorted: when its commit was heard minus when it was produced ({@code ingest_ts}), for trades produced since {@code sinceMillis}. */
    long[] delays(PostgresConnection database, long sinceMillis)
            throws SQLException
    {
        Map<Long, Long> heardAt = new HashMap<>();
        synchronized (heard) {
            for (Heard notification : heard) {
                for (SpeedCommitNotification.Range range : SpeedCommitNotification.parse(notification.payload()).ranges()) {
                    for (long offset = range.first(); offset <= range.last(); offset++) {
                        heardAt.putIfAbsent(key(range.partition(), offset), notification.at());
                    }
                }
            }
        }
        long[] delays = new long[heardAt.size()];
        int size = 0;
        try (Connection reader = database.open(); Statement statement = reader.createStatement();
                ResultSet rows = statement.executeQuery("SELECT kafka_partition, kafka_offset, (extract(epoch FROM ingest_ts) * 1000)::bigint FROM lambda.speed_trades")) {
            while (rows.next()) {
                Long at = heardAt.get(key(rows.getInt(1), rows.getLong(2)));
                if (at != null && rows.getLong(3) >= sinceMillis && size < delays.length) {
                    delays[size++] = at - rows.getLong(3);
                }
            }
        }
        long[] result = Arrays.copyOf(delays, size);
        Arrays.sort(result);
        return result;
    }

    private static long key(int partition, long offset)
    {
        return ((long) partition << 40) | offset;
    }

    @Override
    public void close()
            throws Exception
    {
        stopping = true;
        listener.join();
        connection.close();
    }

    private record Heard(long at, String payload) {}
}
