package io.lambdatrades.serving;

import io.lambdatrades.common.Backoff;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedCommitNotification;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One PostgreSQL LISTEN for the whole server, on a connection of its own: the speed sink's and the
 * publish's notifications arrive with their commits, and are handed to the live stream. Notifications
 * that queued while one was handled are taken together. A lost connection is opened again with backoff.
 */
final class CommitListener
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(CommitListener.class);
    private static final int WAIT_MS = 500;

    private final PostgresConnection postgres;
    private final LiveStream stream;
    private final Thread thread;
    private volatile boolean listening;
    private volatile boolean closed;

    CommitListener(PostgresConnection postgres, LiveStream stream)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.thread = new Thread(this::run, "lambda-commit-listener");
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Whether it is connected and listening now. */
    boolean listening()
    {
        return listening;
    }

    private void run()
    {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));
        while (!closed) {
            try (Connection connection = postgres.open()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + SpeedCommitNotification.CHANNEL);
                    statement.execute("LISTEN " + SpeedCommitNotification.PUBLISH_CHANNEL);
                }
                listening = true;
                if (backoff.attempts() > 0) {
                    log.info("Listening to PostgreSQL's notifications again");
                }
                backoff.reset();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MS);
                    if (notifications != null && notifications.length > 0) {
                        handle(notifications);
                    }
                }
            }
            catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                Duration delay = backoff.next();
                log.warn("Cannot listen to PostgreSQL's notifications, retry {} in {} ms: {}", backoff.attempts(), delay.toMillis(), e.getMessage());
                try {
                    Thread.sleep(delay.toMillis());
                }
                catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void handle(PGNotification[] notifications)
            throws SQLException
    {
        List<SpeedCommitNotification.Range> ranges = new ArrayList<>();
        String publishedCutoff = null;
        for (PGNotification notification : notifications) {
            if (SpeedCommitNotification.CHANNEL.equals(notification.getName())) {
                try {
                    ranges.addAll(SpeedCommitNotification.parse(notification.getParameter()).ranges());
                }
                catch (IllegalArgumentException e) {
                    log.warn("Ignoring a notification: {}", e.getMessage());
                }
            }
            else if (SpeedCommitNotification.PUBLISH_CHANNEL.equals(notification.getName())) {
                publishedCutoff = notification.getParameter();
            }
        }
        if (!ranges.isEmpty()) {
            stream.onCommit(new SpeedCommitNotification(ranges));
        }
        if (publishedCutoff != null) {
            stream.onPublish(publishedCutoff);
        }
    }

    @Override
    public void close()
    {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
