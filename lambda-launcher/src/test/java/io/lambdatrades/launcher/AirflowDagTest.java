package io.lambdatrades.launcher;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.batch.BatchRequest;
import io.lambdatrades.launcher.batch.BatchTaskCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/airflow's DAG, checked by its Python harness (Airflow's classes stubbed: tasks, order,
 * schedule, retries), and each command it renders parsed by the real command line.
 */
class AirflowDagTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDagsTasksAreTheBatchTasksInOrderWithCommandsTheCommandLineAccepts()
            throws Exception
    {
        Path harness = Path.of(System.getProperty("lambda.home", "..")).resolve("deploy/airflow/test_lambda_batch_dag.py").toAbsolutePath().normalize();
        Process python = new ProcessBuilder("python3", harness.toString()).redirectErrorStream(true).start();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.exitValue()).as(output).isZero();

        List<List<String>> commands = JSON.readValue(output, new TypeReference<>() {});
        assertThat(commands).extracting(command -> command.get(2)).containsExactly("absorb", "views", "publish");
        for (List<String> command : commands) {
            CommandLine.ParseResult parsed = LambdaMain.newCommandLine().parseArgs(command.toArray(String[]::new));
            BatchTaskCommand task = (BatchTaskCommand) parsed.subcommand().subcommand().commandSpec().userObject();
            assertThat(task.task).isEqualTo(command.get(2));
            BatchRequest request = BatchRequest.period(task.period, Instant.parse("2026-12-01T00:00:00Z"), Duration.ofDays(1));
            assertThat(request.cutoff()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        }
    }
}
