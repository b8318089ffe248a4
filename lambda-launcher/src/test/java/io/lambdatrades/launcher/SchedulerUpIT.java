package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler as {@code up} runs it: it closes the past days by itself, a backfill goes through its
 * queue and so does a run posted to the API, and a batch JVM or the scheduler itself killed with -9 in the middle of a run leaves views
 * equal to the trades once the run is retried.
 */
class SchedulerUpIT
{
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Trades over the last three days. */
    private static final SpreadTrades TRADES = new SpreadTrades(360, 20, 3 * 86_400_000L);
    private static final Map<String, String> ENVIRONMENT = Map.of(
            "LAMBDA_SPEED_ENABLED", "false",
            "LAMBDA_BATCH_RETRIES", "6",
            "LAMBDA_BATCH_RETRY_BACKOFF", "1s");
    private static final String DAILY = "SELECT string_agg(symbol || date || ':' || trades || ':' || volume || ':' || open || ':' || close, ',' ORDER BY symbol, date) FROM lambda.batch_daily";

    @TempDir
    Path dataDir;

    @Test
    void closesThePastDaysByItselfAndRetriesRunsKilledInTheMiddle()
            throws Exception
    {
        long start = System.currentTimeMillis() - TRADES.spanMillis();
        Path recording = dataDir.resolve("recording.ndjson");
        Files.write(recording, TRADES.lines(start));
        try (LambdaProcess up = LambdaProcess.start(ENVIRONMENT, "up", "--data-dir", dataDir.toString(), "--source", "replay", "--replay", recording.toString(), "--speed", "max")) {
            Instant today = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
            JsonNode status = awaitStatus(json -> json.at("/batch/cutoff").asText().equals(today.toString()), Duration.ofMinutes(6));
            PostgresConnection postgres = new PostgresConnection(status.at("/postgres/jdbcUrl").asText(), "postgres", "");
            long schedulerPid = status.at("/layers/scheduler/pid").asLong();
            assertThat(status.at("/layers/scheduler/state").asText()).isEqualTo("running");

            // Each past day closed once, in order, by the catch-up.
            await().atMost(Duration.ofMinutes(2)).until(() -> query(postgres, "SELECT count(*) FROM lambda.batch_runs WHERE state <> 'success'").equals(List.of("0")));
            List<String> days = new ArrayList<>();
            for (int back = 3; back >= 1; back--) {
                days.add(LocalDate.now(ZoneOffset.UTC).minusDays(back) + " catch-up success");
            }
            assertThat(query(postgres, "SELECT to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || trigger || ' ' || state FROM lambda.batch_runs ORDER BY run_id"))
                    .containsExactlyElementsOf(days);
            long closedTrades = TRADES.before(start, today.toEpochMilli());
            assertThat(query(postgres, "SELECT sum(trades) FROM lambda.batch_daily")).containsExactly(Long.toString(closedTrades));
            String daily = query(postgres, DAILY).get(0);

            LambdaProcess.Result history = LambdaProcess.run(Map.of(), "batch", "history", "--data-dir", dataDir.toString());
            assertThat(history.exitCode()).as(history.stderr()).isZero();
            assertThat(history.stdout()).contains("catch-up", "absorb:success", "views:success", "publish:success", "next scheduled close");

            String from = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
            String to = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
            // A backfill goes through the queue and gives the views of the runs before it.
            LambdaProcess.Result backfill = LambdaProcess.run(Map.of(), "batch", "run", "--from", from, "--to", to, "--data-dir", dataDir.toString());
            assertThat(backfill.exitCode()).as(backfill.stdout() + backfill.stderr()).isZero();
            assertThat(backfill.stdout()).contains("queued as run 4", "succeeded");
            assertThat(query(postgres, DAILY)).containsExactly(daily);

            // A run asked for over HTTP waits in the same queue.
            String token = Files.readString(dataDir.resolve("admin-token")).trim();
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(awaitStatus(json -> json.has("servingUrl"), Duration.ofMinutes(1))
                            .at("/servingUrl").asText() + "/api/v1/batch/runs"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"period\": \"" + to + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            assertThat(posted.body()).contains("run 5 queued");
            await().atMost(Duration.ofMinutes(3)).until(() -> query(postgres, "SELECT state || ' ' || trigger FROM lambda.batch_runs WHERE run_id = 5").equals(List.of("success manual")));

            // kill -9 of the batch JVM while its views task runs: the run is retried and ends well.
            try (LambdaProcess run = LambdaProcess.start(Map.of(), "batch", "run", "--from", from, "--to", to, "--data-dir", dataDir.toString())) {
                awaitTaskRunning(postgres, 6, "views");
                ProcessHandle batchJvm = ProcessHandle.of(schedulerPid).orElseThrow().children().findFirst().orElseThrow();
                batchJvm.destroyForcibly();
                assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.stdout() + run.stderr()).isZero();
                assertThat(run.stdout()).contains("killed by signal 9", "succeeded");
            }
            assertThat(query(postgres, "SELECT state || ' ' || attempts FROM lambda.batch_runs WHERE run_id = 6")).containsExactly("success 2");
            assertThat(query(postgres, DAILY)).containsExactly(daily);

            // kill -9 of the scheduler in the middle of a run: up restarts it, the run is found dead and run again.
            try (LambdaProcess run = LambdaProcess.start(Map.of(), "batch", "run", "--from", from, "--to", to, "--data-dir", dataDir.toString())) {
                awaitTaskRunning(postgres, 7, "views");
                ProcessHandle scheduler = ProcessHandle.of(schedulerPid).orElseThrow();
                Optional<ProcessHandle> batchJvm = scheduler.children().findFirst();
                scheduler.destroyForcibly();
                assertThat(run.waitFor(Duration.ofMinutes(5))).as(run.stdout() + run.stderr()).isZero();
                // The orphaned batch JVM stopped by itself when its scheduler died.
                batchJvm.ifPresent(orphan -> assertThat(orphan.isAlive()).isFalse());
            }
            assertThat(query(postgres, "SELECT state || ' ' || (attempts >= 2) FROM lambda.batch_runs WHERE run_id = 7")).containsExactly("success true");
            assertThat(query(postgres, DAILY)).containsExactly(daily);
            assertThat(query(postgres, "SELECT sum(trades) FROM lambda.batch_daily")).containsExactly(Long.toString(closedTrades));
            assertThat(awaitStatus(json -> json.at("/layers/scheduler/state").asText().equals("running"), Duration.ofMinutes(1)).at("/layers/scheduler/pid").asLong())
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

    private JsonNode awaitStatus(Predicate<JsonNode> condition, Duration timeout)
    {
        JsonNode[] last = new JsonNode[1];
        await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).until(() -> {
            last[0] = JSON.readTree(LambdaProcess.run(Map.of(), "status", "--data-dir", dataDir.toString(), "--json").stdout());
            return condition.test(last[0]);
        });
        return last[0];
    }

    private static List<String> query(PostgresConnection postgres, String sql)
            throws Exception
    {
        try (Connection connection = postgres.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
