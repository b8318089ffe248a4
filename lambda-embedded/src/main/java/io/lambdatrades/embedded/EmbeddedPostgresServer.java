package io.lambdatrades.embedded;

import io.lambdatrades.common.PostgresConnection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * A real PostgreSQL server (zonky's binaries, unpacked from a Maven jar) whose cluster lives in one
 * directory and survives restarts. Durable: zonky turns fsync and synchronous commit off by default,
 * which a system that promises to lose nothing cannot have.
 */
public final class EmbeddedPostgresServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final String USER = "postgres";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Optional<Process> guard;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir, Optional<Process> guard)
    {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.guard = guard;
    }

    /**
     * @param dataDir the cluster's directory, created and initialised on first start
     * @param binariesDir where the server binaries are unpacked (shared by instances, kept between runs)
     * @param port 0 for a free one; servers that start side by side take theirs from one {@link PortAllocator}
     */
    public static EmbeddedPostgresServer start(Path dataDir, Path binariesDir, int port)
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(binariesDir, "binariesDir is null");
        int serverPort = new PortAllocator().choose(port, "postgres.port");
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(binariesDir);
            stopOrphanedServer(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setPort(serverPort)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    // The speed layer's writes at tens of thousands of trades/s: fewer evictions and checkpoints.
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            log.info("PostgreSQL up at 127.0.0.1:{} with its data in {}", serverPort, dataDir);
            long serverPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
            return new EmbeddedPostgresServer(postgres, dataDir, PostgresGuard.start(ProcessHandle.current().pid(), serverPid));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server left running by a process that was killed (kill -9 gives no chance to stop it) still
     * holds the cluster; the caller owns the directory, so that server is an orphan: stop it.
     */
    private static void stopOrphanedServer(Path dataDir)
            throws IOException
    {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a process that did not stop it", pid, dataDir);
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(60, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the orphaned PostgreSQL " + pid, e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IOException("the orphaned PostgreSQL (pid " + pid + ") on " + dataDir + " did not stop", e);
        }
    }

    /** The server's main process, for supervision and tests. */
    public long pid()
            throws IOException
    {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    public PostgresConnection connection()
    {
        return new PostgresConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE, USER, "");
    }

    public int port()
    {
        return postgres.getPort();
    }

    public Path dataDir()
    {
        return dataDir;
    }

    @Override
    public void close()
    {
        guard.ifPresent(Process::destroy);
        try {
            postgres.close();
            log.info("PostgreSQL at 127.0.0.1:{} stopped", port());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL in " + dataDir, e);
        }
    }
}
