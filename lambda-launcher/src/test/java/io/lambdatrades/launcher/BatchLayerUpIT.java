package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lambda batch run} and {@code lambda sql} against a running {@code up}: each in a JVM of its
 * own, sharing the metastore at the same time; the published tables equal the Parquet views and the
 * trades that were sent.
 */
class BatchLayerUpIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Trades over the last two days: some before today's cutoff, some after. */
    private static final SpreadTrades TRADES = new SpreadTrades(300, 20, 2 * 86_400_000L);

    @TempDir
    Path dataDir;

    @Test
    void aBatchRunClosesThePastDaysWhileSqlReadsTheMetastore()
            throws Exception
    {
        LocalDate day = UtcDay.stableFor(Duration.ofMinutes(6));
        long start = System.currentTimeMillis() - TRADES.spanMillis();
        Path recording = dataDir.resolve("recording.ndjson");
        Files.write(recording, TRADES.lines(start));
        try (LambdaProcess up = LambdaProcess.start(LambdaProcess.INGEST_ONLY, "up", "--data-dir", dataDir.toString(), "--source", "replay", "--replay", recording.toString(), "--speed", "max")) {
            JsonNode status = awaitStatus(dataDir, json -> json.at("/topics/trades/records").asLong() == TRADES.total(), Duration.ofMinutes(3));
            PostgresConnection postgres = new PostgresConnection(status.at("/postgres/jdbcUrl").asText(), "postgres", "");

            // Hive's tables exist before any Spark command opened the metastore: the two below must not race to create them.
            assertThat(metastoreDatabases()).containsExactly(Map.entry("default", dataDir.resolve("warehouse").toAbsolutePath()));

            try (LambdaProcess batch = LambdaProcess.start(Map.of(), "batch", "run", "--data-dir", dataDir.toString())) {
                LambdaProcess.Result tables = LambdaProcess.run(Map.of(), "sql", "--data-dir", dataDir.toString(), "SHOW TABLES IN default");
                assertThat(tables.exitCode()).as(tables.stderr()).isZero();
                assertThat(batch.waitFor(Duration.ofMinutes(5))).as(batch.stderr()).isZero();
                assertThat(batch.stdout()).contains("absorb", "views", "published", "succeeded");
            }

            Instant cutoff = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            long closedTrades = TRADES.before(start, cutoff.toEpochMilli());
            assertThat(awaitStatus(dataDir, json -> true, Duration.ofMinutes(3)).at("/batch/cutoff").asText()).isEqualTo(cutoff.toString());
            assertThat(query(postgres, "SELECT sum(trades) FROM lambda.batch_daily")).isEqualTo(closedTrades);
            assertThat(query(postgres, "SELECT sum(trades) FROM lambda.batch_minute")).isEqualTo(closedTrades);
            try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT sum(trades), sum(volume) FROM read_parquet('" + dataDir.resolve("views/daily/*/*.parquet") + "')")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(closedTrades);
                assertThat(rows.getDouble(2)).isEqualTo(queryDouble(postgres, "SELECT sum(volume) FROM lambda.batch_daily"));
            }

            // A trade the speed layer saw for a closed day counts as late until the next run.
            try (Connection connection = postgres.open(); Statement statement = connection.createStatement()) {
                statement.execute("""
                        INSERT INTO lambda.speed_minute VALUES ('S1', '%1$s'::timestamptz - interval '1 hour', 1, 1, 1, 1, 1, 3, 1,
                            '%1$s'::timestamptz - interval '1 hour', 0, 1, '%1$s'::timestamptz - interval '1 hour', 0, 1)""".formatted(cutoff));
            }
            assertThat(awaitStatus(dataDir, json -> true, Duration.ofMinutes(3)).at("/batch/lateTrades").asLong()).isEqualTo(3);

            LambdaProcess.Result count = LambdaProcess.run(Map.of(), "sql", "--data-dir", dataDir.toString(),
                    "SELECT count(*) AS trades, CAST(count(*) AS DOUBLE) * 1000000 AS scaled FROM lambda.trades_raw");
            assertThat(count.exitCode()).as(count.stderr()).isZero();
            // Doubles in plain decimals, as a BI user reads them, never 1.2E7.
            assertThat(count.stdout()).contains("|" + TRADES.total() + " ").contains("|" + TRADES.total() + "000000").containsPattern("Spark session started in \\d+\\.\\d s");
            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
        }
    }

    /** Each database of the metastore with its location, read from the Derby database that {@code up} published. */
    private Map<String, Path> metastoreDatabases()
            throws Exception
    {
        String url = JSON.readTree(dataDir.resolve("run").resolve("lambda.json").toFile()).get("metastoreJdbcUrl").asText();
        Map<String, Path> databases = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT \"NAME\", DB_LOCATION_URI FROM APP.DBS")) {
            while (rows.next()) {
                databases.put(rows.getString(1), Path.of(URI.create(rows.getString(2))));
            }
        }
        return databases;
    }

    private static long query(PostgresConnection postgres, String sql)
            throws Exception
    {
        try (Connection connection = postgres.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static double queryDouble(PostgresConnection postgres, String sql)
            throws Exception
    {
        try (Connection connection = postgres.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getDouble(1);
        }
    }
}
