package io.lambdatrades.launcher;

import io.lambdatrades.common.ExitCodes;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedMetastoreDatabase;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input to the command is one clear line on stderr and a non-zero exit. */
@ExtendWith({SharedKafka.class, SharedPostgres.class})
class CommandErrorsIT
{
    @TempDir
    Path dir;

    @Test
    void anUnknownOptionIsOneLineWithExitCode2()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "up", "--turbo");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: Unknown option: '--turbo' (see 'lambda up --help')");
    }

    @Test
    void anUnknownCommandIsOneLine()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "launch");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("lambda: Unmatched argument at index 0: 'launch'").doesNotContain("\n");
    }

    @Test
    void aBadValueNamesTheKeyAndWhereItCameFrom()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of("LAMBDA_KAFKA_PARTITIONS", "lots"), "up", "--data-dir", dir.toString(), "--rate", "fast");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines().toList()).containsExactly(
                "lambda: configuration: kafka.partitions: must be an integer >= 1, was 'lots' (from LAMBDA_KAFKA_PARTITIONS)",
                "lambda: configuration: ingest.rate: must be a number > 0, was 'fast' (from --rate)");
    }

    @Test
    void anUnknownKeyInTheConfigFileIsRefused()
            throws IOException
    {
        Path config = Files.writeString(dir.resolve("lambda.yaml"), "kafka:\n  partitons: 3\n");

        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "up", "--config", config.toString(), "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: unknown key 'kafka.partitons' in " + config);
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsOneLine()
            throws IOException
    {
        Path file = Files.writeString(dir.resolve("file"), "x");

        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "up", "--data-dir", file.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: data.dir: " + file + " exists and is not a directory");
    }

    @Test
    void statusOfAMissingDataDirectoryIsOneLine()
    {
        Path missing = dir.resolve("missing");

        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "status", "--data-dir", missing.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: data.dir: " + missing + " does not exist (start the system with 'lambda up' or pass --data-dir)");
    }

    @Test
    void aBusyPortIsOneLineNamingTheSetting(EmbeddedKafka kafka)
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of("LAMBDA_KAFKA_PORT", Integer.toString(kafka.port())), "up", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("lambda: port " + kafka.port() + " on 127.0.0.1 is in use (kafka.port): stop what uses it or choose another port");
        // PostgreSQL and the metastore start beside Kafka: the failed start stopped them too.
        assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(dir.toString())))
                .as("processes left on the data directory").isEmpty();
    }

    @Test
    void aDataDirectoryLowOnSpaceIsAProblemInStatus()
    {
        Map<String, String> external = Map.of("LAMBDA_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "LAMBDA_POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/postgres");
        Map<String, String> demanding = new HashMap<>(external);
        // More free space than any disk here has.
        demanding.put("LAMBDA_DATA_MIN_FREE_MB", Integer.toString(Integer.MAX_VALUE));

        LambdaProcess.Result low = LambdaProcess.run(demanding, "status", "--data-dir", dir.toString());
        LambdaProcess.Result enough = LambdaProcess.run(external, "status", "--data-dir", dir.toString());

        assertThat(low.exitCode()).isEqualTo(1);
        assertThat(low.stdout()).containsPattern("disk +low +[\\d,]+ MiB free of [\\d,]+ MiB")
                .contains("problem    data directory " + dir + ": ", String.format(Locale.ROOT, "under data.min.free.mb (%,d)", Integer.MAX_VALUE));
        assertThat(enough.stdout()).containsPattern("disk +ok +").doesNotContain("data.min.free.mb (");
    }

    @Test
    void aDeadKafkaIsReportedByStatusWithExitCode1()
    {
        LambdaProcess.Result result = LambdaProcess.run(
                Map.of("LAMBDA_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "LAMBDA_POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/postgres"),
                "status", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("DEGRADED", "problem    Kafka at 127.0.0.1:1 does not answer", "problem    PostgreSQL at jdbc:postgresql://127.0.0.1:1/postgres does not answer");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void badBatchPeriodsAreOneLineWithExitCode2()
    {
        LambdaProcess.Result notADate = LambdaProcess.run(Map.of(), "batch", "run", "--data-dir", dir.toString(), "--period", "yesterday");
        LambdaProcess.Result backwards = LambdaProcess.run(Map.of(), "batch", "run", "--data-dir", dir.toString(), "--from", "2026-11-05", "--to", "2026-11-01");
        LambdaProcess.Result future = LambdaProcess.run(Map.of(), "batch", "run", "--data-dir", dir.toString(), "--period", "2999-01-01");
        LambdaProcess.Result both = LambdaProcess.run(Map.of(), "batch", "run", "--data-dir", dir.toString(), "--period", "2026-11-01", "--from", "2026-11-01", "--to", "2026-11-02");
        LambdaProcess.Result badPeriodSetting = LambdaProcess.run(Map.of("LAMBDA_BATCH_PERIOD", "7h"), "batch", "run", "--data-dir", dir.toString());

        assertThat(notADate.exitCode()).isEqualTo(2);
        assertThat(notADate.stderr()).isEqualTo("lambda: --period yesterday is not a date (2026-11-23) or a UTC time (2026-11-23T14:00) (see 'lambda batch run --help')");
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.stderr()).startsWith("lambda: --from 2026-11-05 is after --to 2026-11-01").doesNotContain("\n");
        assertThat(future.exitCode()).isEqualTo(2);
        assertThat(future.stderr()).startsWith("lambda: --period 2999-01-01 has not ended yet (it ends at 2999-01-02T00:00:00Z)").doesNotContain("\n");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.stderr()).contains("mutually exclusive").doesNotContain("\n");
        assertThat(badPeriodSetting.exitCode()).isEqualTo(2);
        assertThat(badPeriodSetting.stderr()).isEqualTo("lambda: configuration: batch.period: must be a period that divides a day, such as 1d, 6h, 1h or 15m, was '7h' (from LAMBDA_BATCH_PERIOD)");
    }

    @Test
    void aBatchRunWithNothingToRunAgainstIsOneLine()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "batch", "run", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: kafka.bootstrap.servers: not set, and no 'lambda up' is running on " + dir.toAbsolutePath().normalize());
    }

    @Test
    void badSchedulerAndTaskInputIsOneLine(EmbeddedKafka kafka, EmbeddedPostgresServer postgres)
            throws SQLException
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "scheduler_bad_input");
        Map<String, String> services = Map.of("LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LAMBDA_POSTGRES_JDBC_URL", database.jdbcUrl());
        LambdaProcess.Result unknownTask = LambdaProcess.run(Map.of(), "batch", "task", "compact", "--period", "2026-11-01", "--data-dir", dir.toString());
        LambdaProcess.Result noPeriod = LambdaProcess.run(Map.of(), "batch", "task", "absorb", "--data-dir", dir.toString());
        LambdaProcess.Result noLimit = LambdaProcess.run(Map.of(), "batch", "history", "--limit", "0", "--data-dir", dir.toString());
        LambdaProcess.Result badCron = LambdaProcess.run(Map.of("LAMBDA_BATCH_SCHEDULE", "at midnight"), "scheduler", "--data-dir", dir.toString());
        LambdaProcess.Result wrongCron = LambdaProcess.run(Map.of("LAMBDA_BATCH_SCHEDULE", "0 99 * * * *"), "scheduler", "--data-dir", dir.toString());
        LambdaProcess.Result badDelay = LambdaProcess.run(Map.of("LAMBDA_BATCH_DELAY", "soon"), "scheduler", "--data-dir", dir.toString());
        LambdaProcess.Result nowhere = LambdaProcess.run(Map.of(), "scheduler", "--data-dir", dir.toString());
        LambdaProcess.Result noSuchRun = LambdaProcess.run(services, "batch", "run", "--run-id", "999", "--data-dir", dir.toString());
        LambdaProcess.Result auditTask = LambdaProcess.run(Map.of(), "batch", "task", "audit", "--period", "2026-11-01", "--data-dir", dir.toString());
        LambdaProcess.Result badAuditDate = LambdaProcess.run(Map.of(), "audit", "--date", "2026-13-01", "--data-dir", dir.toString());
        LambdaProcess.Result badAuditWait = LambdaProcess.run(Map.of(), "audit", "--wait", "soon", "--data-dir", dir.toString());
        LambdaProcess.Result badAuditGrain = LambdaProcess.run(Map.of(), "audit", "--grain", "day,week", "--data-dir", dir.toString());
        LambdaProcess.Result auditNowhere = LambdaProcess.run(Map.of(), "audit", "--data-dir", dir.toString());

        assertThat(unknownTask.exitCode()).isEqualTo(2);
        assertThat(unknownTask.stderr()).isEqualTo("lambda: unknown batch task 'compact' (absorb, views, publish or audit) (see 'lambda batch task --help')");
        assertThat(noPeriod.exitCode()).isEqualTo(2);
        assertThat(noPeriod.stderr()).contains("--period").doesNotContain("\n");
        assertThat(noLimit.exitCode()).isEqualTo(2);
        assertThat(noLimit.stderr()).startsWith("lambda: --limit 0 must be at least 1").doesNotContain("\n");
        assertThat(badCron.exitCode()).isEqualTo(2);
        assertThat(badCron.stderr()).startsWith("lambda: configuration: batch.schedule: must be a cron expression of six fields").doesNotContain("\n");
        assertThat(wrongCron.exitCode()).isEqualTo(2);
        assertThat(wrongCron.stderr()).startsWith("lambda: configuration: batch.schedule: '0 99 * * * *' is not a cron expression").doesNotContain("\n");
        assertThat(badDelay.exitCode()).isEqualTo(2);
        assertThat(badDelay.stderr()).startsWith("lambda: configuration: batch.delay: must be a duration such as 500ms, 30s, 15m, 2h or 1d").doesNotContain("\n");
        assertThat(nowhere.exitCode()).isEqualTo(2);
        assertThat(nowhere.stderr()).isEqualTo("lambda: configuration: kafka.bootstrap.servers: not set, and no 'lambda up' is running on " + dir.toAbsolutePath().normalize());
        // Another attempt would not find it either: exit 3, which the scheduler does not retry.
        assertThat(noSuchRun.exitCode()).isEqualTo(ExitCodes.PERMANENT_FAILURE);
        assertThat(noSuchRun.stderr()).isEqualTo("lambda: no batch run 999 in the history");
        assertThat(auditTask.exitCode()).isEqualTo(2);
        assertThat(auditTask.stderr()).startsWith("lambda: the audit is not a task of its own here: run 'lambda audit --date D' after the publish").doesNotContain("\n");
        assertThat(badAuditDate.exitCode()).isEqualTo(2);
        assertThat(badAuditDate.stderr()).startsWith("lambda: --date 2026-13-01 is not a date (YYYY-MM-DD)").doesNotContain("\n");
        assertThat(badAuditWait.exitCode()).isEqualTo(2);
        assertThat(badAuditWait.stderr()).contains("--wait").contains("'soon' must be a duration").doesNotContain("\n");
        assertThat(badAuditGrain.exitCode()).isEqualTo(2);
        assertThat(badAuditGrain.stderr()).contains("--grain").contains("'week' is not a grain: minute, hour or day").doesNotContain("\n");
        assertThat(auditNowhere.exitCode()).isEqualTo(2);
        assertThat(auditNowhere.stderr()).isEqualTo("lambda: configuration: postgres.jdbc.url: not set, and no 'lambda up' is running on " + dir.toAbsolutePath().normalize());
    }

    @Test
    void aMetastoreDatabaseOpenInAnotherProcessIsOneLine()
            throws Exception
    {
        // This test JVM holds the data directory's metastore database, as a second command without 'up' would find it.
        try (EmbeddedMetastoreDatabase held = EmbeddedMetastoreDatabase.start(dir.resolve("metastore"), 0)) {
            LambdaProcess.Result result = LambdaProcess.run(Map.of(), "sql", "--data-dir", dir.toString(), "SELECT 1");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).isEqualTo("lambda: the metastore database in " + dir.resolve("metastore").toAbsolutePath()
                    + " is open in another process (another lambda command on this data directory?); start 'lambda up' on it to let commands share the metastore");
        }
    }

    @Test
    void aBadQueryIsOneLineWithExitCode1()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "sql", "--data-dir", dir.toString(), "SELEKT 1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("lambda: ").contains("SELEKT").doesNotContain("\n");
    }

    @Test
    void theSpeedLayerWithNothingToRunAgainstIsOneLine()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "speed", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: kafka.bootstrap.servers: not set, and no 'lambda up' is running on " + dir.toAbsolutePath().normalize());
    }

    @Test
    void theSpeedLayerAgainstADeadPostgresIsOneLine(EmbeddedKafka kafka)
    {
        LambdaProcess.Result result = LambdaProcess.run(
                Map.of("LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(), "LAMBDA_POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:1/postgres"),
                "speed", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("lambda: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/postgres: Connection to 127.0.0.1:1 refused")
                .doesNotContain("\n");
    }

    @Test
    void theSpeedLayerAgainstADeadKafkaIsOneLine(EmbeddedPostgresServer postgres)
            throws SQLException
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_dead_kafka");

        LambdaProcess.Result result = LambdaProcess.run(
                Map.of("LAMBDA_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1", "LAMBDA_POSTGRES_JDBC_URL", database.jdbcUrl()),
                "speed", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("lambda: Kafka at 127.0.0.1:1: cannot create topic 'trades': no answer within 30 s");
    }

    @Test
    void theServingLayerWithNothingToServeIsOneLine()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "serve", "--data-dir", dir.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("lambda: configuration: postgres.jdbc.url: not set, and no 'lambda up' is running on " + dir.toAbsolutePath().normalize());
    }

    @Test
    void aBadServingPortIsOneLineNamingTheOption()
    {
        LambdaProcess.Result result = LambdaProcess.run(Map.of(), "serve", "--data-dir", dir.toString(), "--port", "80800");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).startsWith("lambda: configuration: serving.port: ").endsWith("was '80800' (from --port)").doesNotContain("\n");
    }

    @Test
    void aBusyServingPortIsOneLine(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "serve_busy_port");
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            LambdaProcess.Result result = LambdaProcess.run(Map.of("LAMBDA_POSTGRES_JDBC_URL", database.jdbcUrl()),
                    "serve", "--data-dir", dir.toString(), "--port", Integer.toString(busy.getLocalPort()));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).startsWith("lambda: cannot serve HTTP on 127.0.0.1:" + busy.getLocalPort() + ": ").doesNotContain("\n");
        }
    }
}
