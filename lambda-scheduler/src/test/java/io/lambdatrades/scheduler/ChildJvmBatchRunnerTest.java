package io.lambdatrades.scheduler;

import io.lambdatrades.common.BatchRunState;
import io.lambdatrades.common.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

/** The batch JVM's exit as the scheduler reads it, from a real child process standing in for {@code lambda batch run}. */
class ChildJvmBatchRunnerTest
{
    private static final QueuedRun RUN = new QueuedRun(7, new BatchPeriod(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z")),
            "schedule", BatchRunState.QUEUED, 0, Optional.empty());

    @Test
    void aChildThatSucceedsIsARunDoneAndItsArgumentsNameTheRun(@TempDir Path dir)
            throws Exception
    {
        runner(dir, "echo \"$@\"; exit 0").run(RUN);
        assertThat(Files.readString(dir.resolve("batch.out"))).isEqualTo("run 7\n");
    }

    @Test
    void aChildThatFailsIsRetriedUnlessItSaysNoAttemptWouldCureIt(@TempDir Path dir)
    {
        assertThatThrownBy(() -> runner(dir, "echo 'lambda: cannot reach Kafka'; exit " + ExitCodes.FAILURE).run(RUN))
                .asInstanceOf(type(BatchRunner.BatchRunFailedException.class))
                .satisfies(failure -> assertThat(failure.retryable()).isTrue())
                .extracting(Throwable::getMessage).asString().startsWith("lambda: cannot reach Kafka (see ");
        assertThatThrownBy(() -> runner(dir, "echo 'lambda: Malformed data'; exit " + ExitCodes.PERMANENT_FAILURE).run(RUN))
                .asInstanceOf(type(BatchRunner.BatchRunFailedException.class))
                .satisfies(failure -> assertThat(failure.retryable()).isFalse())
                .extracting(Throwable::getMessage).asString().startsWith("lambda: Malformed data (see ");
    }

    private static ChildJvmBatchRunner runner(Path dir, String script)
    {
        // sh -c SCRIPT NAME ARGS...: the run's arguments arrive as "$@".
        return new ChildJvmBatchRunner(runId -> List.of("sh", "-c", script, "lambda", "run", Long.toString(runId)), Map.of(), dir.resolve("batch.out"));
    }
}
