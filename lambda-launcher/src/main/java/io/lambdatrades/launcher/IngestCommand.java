package io.lambdatrades.launcher;

import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.common.config.ConfigException;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.ingest.IngestPipeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run only the ingester, against the configured Kafka (kafka.bootstrap.servers) or the one of a running 'lambda up' on the data directory.")
final class IngestCommand
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
        Logging.configure(config.dataDir().resolve("logs"), common.verbose);
        String bootstrapServers = config.kafka().bootstrapServers()
                .or(() -> new RuntimeFile(config.dataDir()).read().filter(RunningSystem::isAlive).map(RuntimeState::kafkaBootstrapServers))
                .orElseThrow(() -> new ConfigException("kafka.bootstrap.servers: not set, and no 'lambda up' is running on " + config.dataDir()));
        TradeTopics.of(config.kafka()).ensure(bootstrapServers, Duration.ofSeconds(60));
        IngestPipeline pipeline = new IngestPipeline(config.ingest(), bootstrapServers, config.kafka().topic(), config.kafka().deadLetterTopic(),
                new IngestMetrics(), Clock.systemUTC(), System.getenv());
        Thread main = Thread.currentThread();
        IngestLayer layer = new IngestLayer(pipeline, refusal -> main.interrupt());
        Console console = new Console(System.out, System.console() != null);
        ProgressReporter progress = new ProgressReporter(layer, config.ingest().source(), console);
        StopSignals.onStop(main::interrupt);
        console.line("lambda ingest: " + config.ingest().source() + " -> " + bootstrapServers + " topic " + config.kafka().topic());
        layer.start();
        try {
            while (layer.isRunning()) {
                Thread.sleep(1_000);
                progress.tick();
            }
        }
        catch (InterruptedException e) {
            // Ctrl-C: stop below.
        }
        layer.close();
        if ("failed".equals(layer.state())) {
            throw new IllegalStateException(layer.lastError());
        }
        console.line("lambda ingest: stopped; everything ingested is in Kafka");
        return 0;
    }
}
