package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.status.StateFile;
import io.lambdatrades.speed.SpeedLayer;
import io.lambdatrades.speed.SpeedMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

@Command(name = "speed", mixinStandardHelpOptions = true,
        description = "Run only the speed layer (Spark Structured Streaming, Kafka -> PostgreSQL) against the configured services or those of a running 'lambda up'.")
public final class SpeedCommand
        implements Callable<Integer>
{
    private static final int PROGRESS_EVERY_SECONDS = 10;
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    /** Where the speed layer publishes its metrics each second, for {@code lambda status}. */
    public static final String SPEED_METRICS_FILE = "speed.json";

    @Mixin
    CommonOptions common;

    @Override
    public Integer call()
            throws TimeoutException, InterruptedException
    {
        LambdaConfig config = common.load(Map.of());
        // A dead or misconfigured service is one line now, not minutes of the query's retries.
        CommandServices connected = common.connectWithKafka(config, "speed");
        String bootstrapServers = connected.bootstrapServers();
        PostgresConnection postgres = connected.postgres();
        TradeTopics.of(config.kafka()).ensure(bootstrapServers, TOPIC_TIMEOUT);

        Console console = new Console(System.out, System.console() != null);
        try (SpeedLayer speed = SpeedLayer.start(config, bootstrapServers, postgres)) {
            StopSignals.onStop(() -> new Thread(speed::stop, "lambda-speed-stop").start());
            console.line("lambda speed: " + speed.describe());
            report(speed, config, console);
        }
        console.line("lambda speed: stopped");
        return 0;
    }

    /** Publishes the figures every second for status, and a progress line every ten, until the query ends. */
    private static void report(SpeedLayer speed, LambdaConfig config, Console console)
    {
        StateFile<SpeedMetrics> metricsFile = new StateFile<>(config.dataDir(), SPEED_METRICS_FILE, SpeedMetrics.class);
        for (long second = 1; !speed.awaitTermination(Duration.ofSeconds(1)); second++) {
            SpeedMetrics current = speed.metrics();
            metricsFile.write(current);
            if (second % PROGRESS_EVERY_SECONDS == 0) {
                console.progress("speed  " + current.describe());
            }
        }
    }
}
