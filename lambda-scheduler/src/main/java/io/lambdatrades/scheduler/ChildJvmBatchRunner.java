package io.lambdatrades.scheduler;

import io.lambdatrades.common.ExitCodes;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Runs a queued run's command line (the launcher's {@code lambda batch run --run-id N}) in a JVM of its own, as spark-submit would, so that a
 * crash of the batch work never takes the scheduler down. The child's console is appended to a log;
 * a failure is reported with the child's last line, which is its one-line error, and is retried unless
 * the child exited with {@link ExitCodes#PERMANENT_FAILURE}.
 */
public final class ChildJvmBatchRunner
        implements BatchRunner
{
    private static final long STOP_TIMEOUT_SECONDS = 60;
    private static final int TAIL_BYTES = 8192;

    private final LongFunction<List<String>> commandLine;
    private final Map<String, String> environment;
    private final Path log;

    /**
     * @param commandLine the whole command line that runs the run of this id, defined by the command it starts
     * @param environment added to the child's environment (where Kafka and PostgreSQL are)
     */
    public ChildJvmBatchRunner(LongFunction<List<String>> commandLine, Map<String, String> environment, Path log)
    {
        this.commandLine = requireNonNull(commandLine, "commandLine is null");
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public void run(QueuedRun run)
            throws BatchRunFailedException, InterruptedException
    {
        List<String> arguments = commandLine.apply(run.runId());
        Process child;
        long logStart;
        try {
            Files.createDirectories(log.getParent());
            logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(arguments)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            child = builder.start();
        }
        catch (IOException e) {
            throw new BatchRunFailedException("cannot start the batch JVM: " + e.getMessage(), true);
        }
        int exitCode;
        try {
            exitCode = child.waitFor();
        }
        catch (InterruptedException e) {
            child.destroy();
            if (!child.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            throw e;
        }
        if (exitCode != 0) {
            String reason = exitCode > 128 ? "the batch JVM (pid " + child.pid() + ") was killed by signal " + (exitCode - 128)
                    : lastLine(logStart).orElse("the batch JVM exited with code " + exitCode);
            throw new BatchRunFailedException(reason + " (see " + log + ")", exitCode != ExitCodes.PERMANENT_FAILURE);
        }
    }

    /** The last non-empty line the child wrote: its one-line error. */
    private Optional<String> lastLine(long from)
    {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }
}
