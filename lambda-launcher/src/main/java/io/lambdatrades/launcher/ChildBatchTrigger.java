package io.lambdatrades.launcher;

import io.lambdatrades.serving.ApiException;
import io.lambdatrades.serving.BatchRunRequest;
import io.lambdatrades.serving.BatchTrigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Runs {@code lambda batch run} in a JVM of its own for the API, one at a time from this server; the
 * batch layer's own lock still refuses a run while another process holds it (that run then shows failed
 * in its log and in the history).
 */
final class ChildBatchTrigger
        implements BatchTrigger
{
    private final List<String> childOptions;
    private final Path logDir;
    private final AtomicReference<Process> running = new AtomicReference<>();

    ChildBatchTrigger(List<String> childOptions, Path logDir)
    {
        this.childOptions = List.copyOf(requireNonNull(childOptions, "childOptions is null"));
        this.logDir = requireNonNull(logDir, "logDir is null");
    }

    @Override
    public synchronized Submitted submit(BatchRunRequest request)
    {
        Process previous = running.get();
        if (previous != null && previous.isAlive()) {
            throw ApiException.conflict("a batch run is in progress", "the run started by this server (pid " + previous.pid() + ") has not finished; see GET /api/v1/batch/runs");
        }
        List<String> arguments = new ArrayList<>(List.of("batch", "run"));
        arguments.addAll(request.options());
        arguments.addAll(childOptions);
        Path log = logDir.resolve("batch-run-" + Instant.now().toEpochMilli() + ".out");
        try {
            Files.createDirectories(logDir);
            Process process = new ProcessBuilder(LambdaJvm.command(arguments))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            running.set(process);
            return new Submitted("lambda " + String.join(" ", arguments.subList(0, arguments.size() - childOptions.size())) + " (pid " + process.pid() + ")",
                    log.toString());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot start lambda batch run: " + e.getMessage(), e);
        }
    }
}
