package io.lambdatrades.launcher.up;

import io.lambdatrades.common.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * A layer that runs in a JVM of its own ({@code lambda <command>}, as spark-submit would run it), so
 * that its dying or being killed never takes the rest down; restarted with backoff when it dies.
 */
public final class ChildLayer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ChildLayer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);
    private static final int OUTPUT_TAIL_BYTES = 8192;

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path output;
    private final ExitPolicy exitPolicy;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final Thread supervisor;
    private final AtomicReference<Process> process = new AtomicReference<>();
    private final AtomicReference<String> state = new AtomicReference<>("starting");
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private final AtomicLong restarts = new AtomicLong();
    private volatile boolean stopping;

    /**
     * @param arguments the {@code lambda} command and its options, e.g. speed --data-dir DIR
     * @param environment added to this process's environment
     * @param output where the child's console goes
     */
    ChildLayer(String name, List<String> arguments, Map<String, String> environment, Path output)
    {
        this(name, arguments, environment, output, exitCode -> Exit.RESTART);
    }

    /** @param exitPolicy what an exit of the child, other than the one {@link #close()} asks for, means */
    ChildLayer(String name, List<String> arguments, Map<String, String> environment, Path output, ExitPolicy exitPolicy)
    {
        this.name = requireNonNull(name, "name is null");
        this.command = LambdaJvm.command(arguments);
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.output = requireNonNull(output, "output is null");
        this.exitPolicy = requireNonNull(exitPolicy, "exitPolicy is null");
        this.supervisor = new Thread(this::supervise, "lambda-" + name + "-supervisor");
    }

    void start()
    {
        supervisor.start();
    }

    private void supervise()
    {
        while (!stopping) {
            long started = System.nanoTime();
            try {
                Files.createDirectories(output.getParent());
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
                builder.environment().putAll(environment);
                Process child = builder.start();
                process.set(child);
                state.set("running");
                log.info("The {} layer runs as pid {}", name, child.pid());
                int exitCode = child.waitFor();
                if (stopping) {
                    break;
                }
                lastError.set("exited with code " + exitCode + lastErrorLine().map(line -> ": " + line).orElse("") + " (see " + output + ")");
                Exit exit = exitPolicy.exited(exitCode);
                if (exit != Exit.RESTART) {
                    state.set(exit == Exit.FINISHED ? "finished" : "failed");
                    log.info("The {} layer {}: not restarted", name, exit == Exit.FINISHED ? "finished its work" : "failed for good");
                    return;
                }
            }
            catch (IOException e) {
                lastError.set("cannot start: " + e.getMessage());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                backoff.reset();
            }
            Duration delay = backoff.next();
            state.set("restarting");
            try {
                TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // A signal to up's whole process group (systemd's stop, timeout) ends the child as up begins to stop:
            // only a restart that happens is counted and reported.
            if (stopping) {
                break;
            }
            restarts.incrementAndGet();
            log.warn("The {} layer {}; restart {} after {} ms", name, lastError.get(), backoff.attempts(), delay.toMillis());
        }
        state.set("stopped");
    }

    /** The child's own one-line error ("lambda: ..."), the last one in the tail of its output, if any. */
    private Optional<String> lastErrorLine()
    {
        try (RandomAccessFile file = new RandomAccessFile(output.toFile(), "r")) {
            long from = Math.max(0, file.length() - OUTPUT_TAIL_BYTES);
            byte[] tail = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (lines[i].startsWith("lambda: ")) {
                    return Optional.of(lines[i].substring("lambda: ".length()).strip());
                }
            }
        }
        catch (IOException e) {
            // No output to read: the exit code says what there is.
        }
        return Optional.empty();
    }

    /** What a child's exit means. */
    enum Exit
    {
        RESTART, FINISHED, FAILED
    }

    @FunctionalInterface
    interface ExitPolicy
    {
        Exit exited(int exitCode);
    }

    /** As the supervisor left it, except that a child gone before the supervisor has seen its exit is "exited", not "running". */
    String state()
    {
        String current = state.get();
        return "running".equals(current) && pid() == -1 ? "exited" : current;
    }

    String lastError()
    {
        return lastError.get();
    }

    long restarts()
    {
        return restarts.get();
    }

    /** The child's pid while it runs, -1 otherwise. */
    long pid()
    {
        Process child = process.get();
        return child != null && child.isAlive() ? child.pid() : -1;
    }

    /** SIGTERM, which the child turns into an orderly stop; kill after the timeout. */
    @Override
    public void close()
    {
        stopping = true;
        Process child = process.get();
        if (child != null) {
            child.destroy();
            try {
                if (!child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("The {} layer did not stop within {} s; killing it", name, STOP_TIMEOUT.toSeconds());
                    child.destroyForcibly().waitFor();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        supervisor.interrupt();
        try {
            supervisor.join(STOP_TIMEOUT.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
