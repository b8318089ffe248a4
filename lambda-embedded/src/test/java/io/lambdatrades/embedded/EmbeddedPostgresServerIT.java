package io.lambdatrades.embedded;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(SharedPostgres.class)
class EmbeddedPostgresServerIT
{
    @Test
    void migrationsCreateTheContractTablesOnceAndOnlyOnce(EmbeddedPostgresServer postgres)
            throws SQLException
    {
        PostgresSchema schema = new PostgresSchema(postgres.connection());
        schema.migrate();

        assertThat(schema.migrate()).isZero();
        assertThat(tables(postgres.connection())).contains(
                "batch_daily", "batch_hourly", "batch_minute", "batch_runs", "batch_task_runs", "cutoff", "speed_minute", "speed_trades");
        assertThat(query(postgres.connection(), "SELECT cutoff_ts::text FROM lambda.cutoff")).containsExactly("1970-01-01 00:00:00+00");
    }

    @Test
    void serverRunsDurablyAndKeepsItsDataAcrossARestart(@TempDir Path dataDir)
            throws SQLException
    {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, SharedPostgres.binariesDir(), 0)) {
            assertThat(query(postgres.connection(), "SHOW fsync")).containsExactly("on");
            assertThat(query(postgres.connection(), "SHOW synchronous_commit")).containsExactly("on");
            execute(postgres.connection(), "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, SharedPostgres.binariesDir(), 0)) {
            assertThat(query(postgres.connection(), "SELECT value FROM kept")).containsExactly("still here");
        }
    }

    @Test
    void aServerWhoseOwnerIsKilledStopsByItselfAndKeepsItsData(@TempDir Path dataDir)
            throws Exception
    {
        Process owner = startOwner(dataDir);
        try {
            insertRowThroughServerOf(owner);
        }
        finally {
            owner.destroyForcibly().waitFor();
        }
        long serverPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        await("the guard stops the server its owner left").atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive).isEmpty());

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, SharedPostgres.binariesDir(), 0)) {
            assertThat(query(postgres.connection(), "SELECT value FROM kept")).containsExactly("committed before the kill");
        }
    }

    @Test
    void aServerOrphanedByAKilledProcessIsStoppedAndItsDataKept(@TempDir Path dataDir)
            throws Exception
    {
        Process owner = startOwner(dataDir);
        try {
            insertRowThroughServerOf(owner);
            // Without its guard (killed too, or never started), nothing stops the server but the next start.
            owner.toHandle().descendants().filter(process -> process.info().command().map(command -> command.endsWith("sh")).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        finally {
            owner.destroyForcibly().waitFor();
        }
        long orphanPid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("kill -9 leaves the server running").contains(true);

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir, SharedPostgres.binariesDir(), 0)) {
            assertThat(ProcessHandle.of(orphanPid).filter(ProcessHandle::isAlive)).isEmpty();
            assertThat(query(postgres.connection(), "SELECT value FROM kept")).containsExactly("committed before the kill");
        }
    }

    private static Process startOwner(Path dataDir)
            throws IOException
    {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PostgresInAnotherJvm.class.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static void insertRowThroughServerOf(Process owner)
            throws Exception
    {
        BufferedReader output = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        String line = output.readLine();
        while (line != null && !line.startsWith("JDBC ")) {
            line = output.readLine();
        }
        assertThat(line).as("the other JVM started PostgreSQL").isNotNull();
        String jdbcUrl = line.substring("JDBC ".length());
        execute(new PostgresConnection(jdbcUrl, "postgres", ""), "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('committed before the kill')");
    }

    private static List<String> tables(PostgresConnection connection)
            throws SQLException
    {
        return query(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'lambda' ORDER BY 1");
    }

    private static List<String> query(PostgresConnection connection, String sql)
            throws SQLException
    {
        return TestSql.column(connection, sql);
    }

    private static void execute(PostgresConnection connection, String sql)
            throws SQLException
    {
        try (Connection jdbc = connection.open(); Statement statement = jdbc.createStatement()) {
            statement.execute(sql);
        }
    }
}
