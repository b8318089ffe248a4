package io.lambdatrades.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** {@code bin/lambda} run as a user runs it: a child process with its own environment and output. */
final class LambdaProcess
        implements AutoCloseable
{
    /**
     * An {@code up} of Kafka, PostgreSQL and the ingester alone, for a test that no other layer concerns:
     * each layer is a JVM, and the launcher's tests are bound by the CPU of the JVMs they start.
     */
    static final Map<String, String> INGEST_ONLY = Map.of("LAMBDA_SPEED_ENABLED", "false", "LAMBDA_SCHEDULER_ENABLED", "false", "LAMBDA_SERVING_ENABLED", "false");

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps;

    private LambdaProcess(Process process)
    {
        this.process = process;
        this.pumps = List.of(pump(process.getInputStream(), stdout), pump(process.getErrorStream(), stderr));
    }

    static LambdaProcess start(Map<String, String> environment, String... args)
    {
        return start(List.of(), environment, args);
    }

    /** As from a terminal: in a process group of its own (setsid), which {@link #interruptProcessGroup} reaches as a whole. */
    static LambdaProcess startInProcessGroup(Map<String, String> environment, String... args)
    {
        return start(List.of("setsid"), environment, args);
    }

    private static LambdaProcess start(List<String> prefix, Map<String, String> environment, String... args)
    {
        Path home = Path.of(System.getProperty("lambda.home", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(prefix);
        command.add(home.resolve("bin/lambda").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(key -> key.startsWith("LAMBDA_") || key.equals("FINNHUB_TOKEN"));
        // C1 for every JVM, the speed layer's too: a test's JVMs live minutes, which C2's compiler threads cost more than they give.
        builder.environment().put("LAMBDA_JAVA_OPTS", "-Xmx768m -XX:TieredStopAtLevel=1");
        // Tests run side by side: the dashboard on a free port (published in run/serving.json), never 8080.
        builder.environment().put("LAMBDA_SERVING_PORT", "0");
        builder.environment().putAll(environment);
        try {
            return new LambdaProcess(builder.start());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a command to its end and returns its exit code. Five minutes: an audit or a batch run beside a
     * busy {@code up} and the other test JVM took its Spark session 49 s to start on a slow CI machine
     * and missed two; a command that hangs still fails the test.
     */
    static Result run(Map<String, String> environment, String... args)
    {
        try (LambdaProcess lambda = start(environment, args)) {
            int exitCode = lambda.waitFor(Duration.ofMinutes(5));
            return new Result(exitCode, lambda.stdout(), lambda.stderr());
        }
    }

    private static Thread pump(InputStream stream, List<String> lines)
    {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            }
            catch (IOException e) {
                // The process ended.
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    String stdout()
    {
        return String.join("\n", stdout);
    }

    String stderr()
    {
        return String.join("\n", stderr);
    }

    /** Ctrl-C, to this process alone. */
    void interrupt()
    {
        signal("-INT", Long.toString(process.pid()));
    }

    /** Ctrl-C at a terminal: SIGINT to every process of the group (started by {@link #startInProcessGroup}). */
    void interruptProcessGroup()
    {
        signal("-INT", "--", "-" + process.pid());
    }

    private void signal(String... arguments)
    {
        List<String> command = new ArrayList<>(List.of("kill"));
        command.addAll(List.of(arguments));
        try {
            new ProcessBuilder(command).start().waitFor();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** kill -9: no shutdown hook, no cleanup. */
    void kill()
    {
        process.destroyForcibly();
        waitFor(Duration.ofMinutes(1));
    }

    int waitFor(Duration timeout)
    {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("lambda did not end within " + timeout + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            for (Thread pump : pumps) {
                pump.join(TimeUnit.SECONDS.toMillis(10));
            }
            return process.exitValue();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    record Result(int exitCode, String stdout, String stderr) {}
}
