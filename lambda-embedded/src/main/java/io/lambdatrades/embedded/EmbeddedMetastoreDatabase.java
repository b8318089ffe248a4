package io.lambdatrades.embedded;

import org.apache.derby.drda.NetworkServerControl;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The Hive metastore's database for one machine: Derby's network server on the loopback address,
 * database files under one directory. Embedded Derby would lock the database to the first JVM;
 * through the network server every batch task, {@code lambda sql} and the tests share it.
 */
public final class EmbeddedMetastoreDatabase
        implements AutoCloseable
{
    private static final String DATABASE = "metastore";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    // Derby: "Another instance of Derby may have already booted the database".
    private static final String DATABASE_IN_USE = "XSDB6";

    private final NetworkServerControl server;
    private final int port;

    private EmbeddedMetastoreDatabase(NetworkServerControl server, int port)
    {
        this.server = server;
        this.port = port;
    }

    /**
     * @param directory where Derby keeps the database and its log, created when missing
     * @param port 0 for a free one; servers that start side by side take theirs from one {@link PortAllocator}
     */
    public static EmbeddedMetastoreDatabase start(Path directory, int port)
    {
        requireNonNull(directory, "directory is null");
        int serverPort = new PortAllocator().choose(port, "metastore.port");
        try {
            Files.createDirectories(directory);
            // Derby reads its home and log file from system properties only, when the server boots.
            System.setProperty("derby.system.home", directory.toAbsolutePath().toString());
            System.setProperty("derby.stream.error.file", directory.resolve("derby.log").toAbsolutePath().toString());
            NetworkServerControl server = new NetworkServerControl(InetAddress.getLoopbackAddress(), serverPort);
            server.start(new PrintWriter(OutputStream.nullOutputStream()));
            awaitUp(server);
            boot(server, directory);
            return new EmbeddedMetastoreDatabase(server, serverPort);
        }
        catch (MetastoreInUseException e) {
            throw e;
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the metastore directory " + directory + ": " + e.getMessage(), e);
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot start the metastore database (Derby) on 127.0.0.1:" + serverPort + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the database now rather than at the first client's connection, so that a database another
     * JVM already has open is one clear refusal here, not a metastore client retrying for 20 seconds.
     */
    private static void boot(NetworkServerControl server, Path directory)
            throws Exception
    {
        try {
            DriverManager.getConnection("jdbc:derby:" + DATABASE + ";create=true").close();
        }
        catch (SQLException e) {
            server.shutdown();
            if (isInUse(e)) {
                throw new MetastoreInUseException(directory.toAbsolutePath());
            }
            throw e;
        }
    }

    private static boolean isInUse(SQLException e)
    {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            for (Throwable cause = next; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && DATABASE_IN_USE.equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void awaitUp(NetworkServerControl server)
            throws Exception
    {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                server.ping();
                return;
            }
            catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    public int port()
    {
        return port;
    }

    /** The JDBC URL a metastore client (DataNucleus) connects with; the database is created on first use. */
    public String jdbcUrl()
    {
        return jdbcUrl(port);
    }

    public static String jdbcUrl(int port)
    {
        return "jdbc:derby://127.0.0.1:" + port + "/" + DATABASE + ";create=true";
    }

    @Override
    public void close()
            throws Exception
    {
        server.shutdown();
    }
}
