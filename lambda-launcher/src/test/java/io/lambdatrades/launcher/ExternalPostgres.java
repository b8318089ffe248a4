package io.lambdatrades.launcher;

import io.lambdatrades.embedded.PortAllocator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server from the operating system's packages (Debian's {@code postgresql}), started
 * for a test as an operator would run one: a cluster of its own, a port of its own, and a database
 * {@code lambda} the product is pointed at by its JDBC URL. Root cannot run PostgreSQL, so as root the
 * server runs as the package's {@code postgres} user.
 */
final class ExternalPostgres
        implements AutoCloseable
{
    private final Path bin;
    private final Path dataDir;
    private final int port;

    private ExternalPostgres(Path bin, Path dataDir, int port)
    {
        this.bin = bin;
        this.dataDir = dataDir;
        this.port = port;
    }

    static ExternalPostgres start()
            throws IOException, InterruptedException, SQLException
    {
        Path bin = installedBin();
        // Outside JUnit's temporary directories, which only their owner may enter.
        Path root = Files.createTempDirectory("lambda-external-pg");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = root.resolve("cluster");
        ExternalPostgres server = new ExternalPostgres(bin, dataDir, new PortAllocator().free());
        if (isRoot()) {
            run(List.of("chown", "postgres:postgres", root.toString()), false);
        }
        server.runAsServerUser(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
        server.startServer();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port + "/postgres", "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE lambda");
        }
        return server;
    }

    /** Starts the server again after {@link #stop()}, on the same port and data. */
    void startServer()
            throws IOException, InterruptedException
    {
        Path root = dataDir.getParent();
        runAsServerUser(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-l", root.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server as an operator would, ending every connection (fast shutdown). */
    void stop()
            throws IOException, InterruptedException
    {
        runAsServerUser(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
    }

    String jdbcUrl()
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/lambda";
    }

    private void runAsServerUser(String... command)
            throws IOException, InterruptedException
    {
        List<String> line = new ArrayList<>();
        if (isRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        run(line, true);
    }

    private static void run(List<String> command, boolean mustSucceed)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES) || (mustSucceed && process.exitValue() != 0)) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static boolean isRoot()
    {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Path installedBin()
            throws IOException
    {
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            throw new IllegalStateException("no PostgreSQL installed from the system's packages (apt-get install postgresql; .ci/run does)");
        }
        try (Stream<Path> installed = Files.list(versions)) {
            return installed.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString())))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + versions));
        }
    }

    @Override
    public void close()
            throws IOException, InterruptedException
    {
        stop();
    }
}
