package io.lambdatrades.launcher;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A layer that {@code up} started in a JVM of its own stops when {@code up} is gone (killed with -9,
 * say): it sends itself SIGTERM, which takes the command's orderly stop. Without this, a serving layer
 * kept its PostgreSQL connections open, and the next {@code up} could not stop the old server.
 * The orderly stop gets {@link #GRACE}, then the JVM halts: with {@code up} went the Kafka broker it
 * embeds, and the ingester's last flush would otherwise wait its full minute for a broker that is gone
 * (an external broker that answers takes milliseconds to flush).
 * It ignores SIGINT: a Ctrl-C at the terminal reaches every process of the group, and the layers that
 * ended at once made the supervisor report each as exited and due for a restart while {@code up}
 * was stopping them in order.
 */
public final class ParentWatch
{
    /** The environment variable through which {@code up} names itself to its children. */
    public static final String ENV = "LAMBDA_PARENT_PID";
    private static final long CHECK_EVERY_MS = 1_000;
    private static final Duration GRACE = Duration.ofSeconds(10);

    private ParentWatch() {}

    /** Starts watching when this process is a child layer of {@code up}. */
    static void startIfChild(Optional<String> parentPid)
    {
        Optional<ProcessHandle> parent = parentPid.flatMap(pid -> {
            try {
                return ProcessHandle.of(Long.parseLong(pid.trim()));
            }
            catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
        if (parentPid.isPresent()) {
            Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        }
        Optional<Instant> started = parent.flatMap(handle -> handle.info().startInstant());
        if (parentPid.isPresent() && parent.isEmpty()) {
            // Gone before this JVM got here.
            Signal.raise(new Signal("TERM"));
            return;
        }
        parent.ifPresent(handle -> {
            Thread watch = new Thread(() -> watch(handle, started), "lambda-parent-watch");
            watch.setDaemon(true);
            watch.start();
        });
    }

    private static void watch(ProcessHandle parent, Optional<Instant> started)
    {
        // A pid is only the same process while its start time is: pids are reused.
        while (parent.isAlive() && started.equals(parent.info().startInstant())) {
            try {
                Thread.sleep(CHECK_EVERY_MS);
            }
            catch (InterruptedException e) {
                return;
            }
        }
        Signal.raise(new Signal("TERM"));
        try {
            Thread.sleep(GRACE.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("lambda: up (pid " + parent.pid() + ") is gone and this layer did not stop within " + GRACE.toSeconds() + " s; halting");
        Runtime.getRuntime().halt(1);
    }
}
