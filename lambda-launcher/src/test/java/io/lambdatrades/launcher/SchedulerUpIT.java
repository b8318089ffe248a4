package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.lambdatrades.common.PostgresConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lambdatrades.launcher.SystemProbe.awaitStatus;
import static io.lambdatrades.launcher.SystemProbe.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler as {@code up} runs it: it closes the past days by itself in one run, a backfill goes through its
 * queue and so does a run posted to the API, and a batch JVM or the scheduler itself killed with -9 in the middle of a run leaves views
 * equal to the trades once the run is retried.
 */
class SchedulerUpIT
{
    /** Trades over the last three days. */
    private static final SpreadTrades TRADES = new SpreadTrades(360, 20, 3 * 86_400_000L);
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "LAMBDA_SPEED_ENABLED", "false",
            "LAMBDA_BATCH_RETRIES", "6",
            "LAMBDA_BATCH_RETRY_BACKOFF", "1s",
            "LAMBDA_BATCH_DELAY", UtcDay.NO_BATCH_DELAY);
    private static final String DAILY = "SELECT string_agg(symbol || date || ':' || trades || ':' || volume || ':' || open || ':' || close, ',' ORDER BY symbol, date) FROM lambda.batch_daily";

    @TempDir
    Path dataDir;

    @Test
    void closesThePastDaysByItselfAndRetriesRunsKilledInTheMiddle()
            throws Exception
    {
        LocalDate day = UtcDay.stableFor(Duration.ofMinutes(8));
        long start = System.currentTimeMillis() - TRADES.spanMillis();
        Path recording = dataDir.resolve("recording.ndjson");
        Files.write(recording, TRADES.lines(start));
        try (LambdaProcess up = LambdaProcess.start(ENVIRONMENT, "up", "--data-dir", dataDir.toString(), "--source", "replay", "--replay", recording.toString(), "--speed", "max")) {
            Instant today = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            JsonNode status = awaitStatus(dataDir, json -> json.at("/batch/cutoff").asText().equals(today.toString()), Duration.ofMinutes(6));
            PostgresConnection postgres = new PostgresConnection(status.at("/postgres/jdbcUrl").asText(), "postgres", "");
            long schedulerPid = status.at("/layers/scheduler/pid").asLong();
            assertThat(status.at("/layers/scheduler/state").asText()).isEqualTo("running");

            // The past days closed together by one catch-up run.
            await().atMost(Duration.ofMinutes(2)).until(() -> query(postgres, "SELECT count(*) FROM lambda.batch_runs WHERE state <> 'success'").equals(List.of("0")));
            assertThat(query(postgres, "SELECT to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') || '..' || to_char(period_end AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
                    + "|| ' ' || trigger || ' ' || state FROM lambda.batch_runs ORDER BY run_id"))
                    .containsExactly(day.minusDays(3) + ".." + day + " catch-up success");
            long closedTrades = TRADES.before(start, today.toEpochMilli());
            assertThat(query(postgres, "SELECT sum(trades) FROM lambda.batch_daily")).containsExactly(Long.toString(closedTrades));
            String daily = query(postgres, DAILY).get(0);

            LambdaProcess.Result history = LambdaProcess.run(Map.of(), "batch", "history", "--data-dir", dataDir.toString());
            assertThat(history.exitCode()).as(history.stderr()).isZero();
            assertThat(history.stdout()).contains("catch-up", "absorb:success", "views:success", "publish:success", "next scheduled close");

            String from = day.minusDays(3).toString();
            String to = day.minusDays(1).toString();
            // A backfill goes through the queue and gives the views of the runs before it.
            LambdaProcess.Result backfill = LambdaProcess.run(Map.of(), "batch", "run", "--from", from, "--to", to, "--data-dir", dataDir.toString());
            assertThat(backfill.exitCode()).as(backfill.stdout() + backfill.stderr()).isZero();
            assertThat(backfill.stdout()).contains("queued as run 2", "succeeded");
            assertThat(query(postgres, DAILY)).containsExactly(daily);

            // A run asked for over HTTP waits in the same queue.
            String token = Files.readString(dataDir.resolve("admin-token")).trim();
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(awaitStatus(dataDir, json -> json.has("servingUrl"), Duration.ofMinutes(1))
                            .at("/servingUrl").asText() + "/api/v1/batch/runs"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"period\": \"" + to + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            assertThat(posted.body()).contains("run 3 queued");
            await().atMost(Duration.ofMinutes(3)).until(() -> query(postgres, "SELECT state || ' ' || trigger FROM lambda.batch_runs WHERE run_id = 3").equals(List.of("success manual")));

            // kill -9 of the batch JVM while its views task runs: the run is retried and ends well.
            try (LambdaProcess run = LambdaProcess.start(Map.of(), "batch", "run", "--from", from, "--to", to, "--data-dir", dataDir.toString())) {
                awaitTaskRunning(postgres, 4, "views");
                ProcessHandle batchJvm = ProcessHandle.of(schedulerPid).orElseThrow().children().findFirst().orElseThrow();
                batchJvm.destroyForcibly();
                assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.stdout() + run.stderr()).isZero();
                assertThat(run.stdout()).contains("killed by signal 9", "succeeded");
            }
            assertThat(query(postgres, "SELECT state || ' ' || attempts FROM lambda.batch_runs WHERE run_id = 4")).containsExactly("success 2");
            assertThat(query(postgres, DAILY)).containsExactly(daily);

            // kill -9 of the scheduler in the middle of a run: up restarts it, the run is found dead and run again.
            try (LambdaProcess run = LambdaProcess.start(Map.of(), "batch", "run", "--from", from, "--to", to, "--data-dir", dataDir.toString())) {
                awaitTaskRunning(postgres, 5, "views");
                ProcessHandle scheduler = ProcessHandle.of(schedulerPid).orElseThrow();
                Optional<ProcessHandle> batchJvm = scheduler.children().findFirst();
                scheduler.destroyForcibly();
                assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.stdout() + run.stderr()).isZero();
                // The orphaned batch JVM stopped by itself when its scheduler died.
                batchJvm.ifPresent(orphan -> assertThat(orphan.isAlive()).isFalse());
            }
            assertThat(query(postgres, "SELECT state || ' ' || (attempts >= 2) FROM lambda.batch_runs WHERE run_id = 5")).containsExactly("success true");
            assertThat(query(postgres, DAILY)).containsExactly(daily);
            assertThat(query(postgres, "SELECT sum(trades) FROM lambda.batch_daily")).containsExactly(Long.toString(closedTrades));
            assertThat(awaitStatus(dataDir, json -> json.at("/layers/scheduler/state").asText().equals("running"), Duration.ofMinutes(1)).at("/layers/scheduler/pid").asLong())
                    .isNotEqualTo(schedulerPid);

            up.interrupt();
            assertThat(up.waitFor(Duration.ofMinutes(2))).isZero();
        }
    }

    private static void awaitTaskRunning(PostgresConnection postgres, long runId, String task)
    {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                .until(() -> query(postgres, "SELECT state FROM lambda.batch_task_runs WHERE run_id = " + runId + " AND task = '" + task + "'").equals(List.of("running")));
    }
}
