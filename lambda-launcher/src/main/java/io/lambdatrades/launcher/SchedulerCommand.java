package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.batch.BatchRunCommand;
import io.lambdatrades.launcher.up.ChildEnvironment;
import io.lambdatrades.launcher.up.LambdaJvm;
import io.lambdatrades.scheduler.BatchScheduler;
import io.lambdatrades.scheduler.ChildJvmBatchRunner;
import io.lambdatrades.scheduler.SchedulerLayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Run only the scheduler: closes each batch period at its end plus batch.delay (or on batch.schedule), catches up what was missed, "
                + "retries failed runs, one run at a time however many schedulers share the database; each run in a JVM of its own.")
public final class SchedulerCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
            throws Exception
    {
        LambdaConfig config = common.load(Map.of());
        BatchScheduler.schedule(config.scheduler(), config.batch().period());
        CommandServices connected = common.connectWithKafka(config, "scheduler");
        String bootstrapServers = connected.bootstrapServers();
        PostgresConnection postgres = connected.postgres();
        long pid = ProcessHandle.current().pid();
        List<String> childOptions = common.childOptions(config);
        ChildJvmBatchRunner runner = new ChildJvmBatchRunner(runId -> LambdaJvm.command(BatchRunCommand.arguments(runId, childOptions)),
                ChildEnvironment.of(pid, bootstrapServers, postgres), config.dataDir().resolve("logs").resolve("batch.out"));
        Console console = new Console(System.out, System.console() != null);
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        StopSignals.onStop(() -> stopped.complete(null));
        try (SchedulerLayer scheduler = SchedulerLayer.start(config, postgres, bootstrapServers, runner, hostName() + ":" + pid)) {
            console.line("lambda scheduler: " + describe(config) + "; runs in " + postgres.redactedUrl() + " (lambda batch history)"
                    + (scheduler.caughtUp().isEmpty() ? "" : "; " + scheduler.caughtUp().size() + " period(s) due at start, closed in order"));
            try {
                CompletableFuture.anyOf(stopped, scheduler.failure()).join();
            }
            catch (CompletionException e) {
                // One line, exit 1: the supervisor restarts the scheduler and status shows why.
                throw (Exception) e.getCause();
            }
        }
        console.line("lambda scheduler: stopped");
        return 0;
    }

    /** The schedule in words, for the console. */
    public static String describe(LambdaConfig config)
    {
        var scheduler = config.scheduler();
        String when = scheduler.cron().map(cron -> "runs on cron '" + cron + "' (UTC)")
                .orElseGet(() -> "closes each " + duration(config.batch().period()) + " period " + duration(scheduler.delay()) + " after its end");
        return String.format(Locale.ROOT, "%s, %d retries from %s backoff", when, scheduler.retries(), duration(scheduler.retryBackoff()));
    }

    private static String duration(Duration duration)
    {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT).replace("24h", "1-day");
    }

    private static String hostName()
    {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
