package io.lambdatrades.launcher;

import io.lambdatrades.common.config.DataDirectory;
import io.lambdatrades.common.config.LambdaConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

import java.util.concurrent.Callable;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Run the whole system on embedded defaults: Kafka, PostgreSQL and the layers, supervised. Ctrl-C stops it; a second 'up' on the same data directory resumes.")
final class UpCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Mixin
    IngestOptions ingest;

    @Override
    public Integer call()
            throws InterruptedException
    {
        LambdaConfig config = common.load(ingest.overrides());
        DataDirectory.prepare(config.dataDir());
        Logging.configure(config.dataDir().resolve("logs"), common.verbose);
        Console console = new Console(System.out, System.console() != null);
        LambdaSystem system = LambdaSystem.start(config, console);
        // Ctrl-C and SIGTERM end with an orderly stop and exit code 0; other exits still stop through the hook.
        Signal.handle(new Signal("INT"), signal -> stopInBackground(system));
        Signal.handle(new Signal("TERM"), signal -> stopInBackground(system));
        Runtime.getRuntime().addShutdownHook(new Thread(system::close, "lambda-shutdown"));
        system.awaitClosed();
        console.line("lambda up: stopped; everything ingested is in Kafka");
        return 0;
    }

    private static void stopInBackground(LambdaSystem system)
    {
        new Thread(system::close, "lambda-stop").start();
    }
}
