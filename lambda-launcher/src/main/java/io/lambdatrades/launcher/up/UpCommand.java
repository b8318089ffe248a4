package io.lambdatrades.launcher.up;

import io.lambdatrades.common.config.ConfigLoader.Origin;
import io.lambdatrades.common.config.DataDirectory;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.Logging;
import io.lambdatrades.launcher.StopSignals;
import io.lambdatrades.launcher.ingest.IngestOptions;
import io.lambdatrades.launcher.serve.ServingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the whole system on embedded defaults: Kafka, PostgreSQL and the layers, supervised. Ctrl-C stops it; a second 'up' on the same data directory resumes.")
public final class UpCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Mixin
    IngestOptions ingest;

    @Mixin
    ServingOptions serving;

    @Override
    public Integer call()
            throws InterruptedException
    {
        Map<String, Origin> overrides = new HashMap<>(ingest.overrides());
        overrides.putAll(serving.overrides());
        LambdaConfig config = common.load(overrides);
        DataDirectory.prepare(config.dataDir());
        Logging.configure(config.dataDir().resolve("logs"), common.verbose);
        Console console = new Console(System.out, System.console() != null);
        LambdaSystem system = LambdaSystem.start(config, common.childOptions(config), ingest.arguments(), console);
        // A signal handler must not block: the stop runs on a thread of its own.
        StopSignals.onStop(() -> new Thread(system::close, "lambda-stop").start());
        // Any other way out of the JVM still stops the system in order.
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "lambda-shutdown"));
        system.awaitClosed();
        console.line("lambda up: stopped; everything ingested is in Kafka");
        return 0;
    }
}
