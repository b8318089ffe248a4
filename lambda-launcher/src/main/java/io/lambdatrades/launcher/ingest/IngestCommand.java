package io.lambdatrades.launcher.ingest;

import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.common.config.ConfigException;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.ingest.IngestLedger;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.ingest.IngestPipeline;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.Logging;
import io.lambdatrades.launcher.StopSignals;
import io.lambdatrades.launcher.status.RunningSystem;
import io.lambdatrades.launcher.status.RuntimeFile;
import io.lambdatrades.launcher.status.RuntimeState;
import io.lambdatrades.launcher.status.StateFile;
import io.lambdatrades.launcher.up.IngestChild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Run only the ingester, against the configured Kafka (kafka.bootstrap.servers) or the one of a running 'lambda up' on the data directory.")
public final class IngestCommand
        implements Callable<Integer>
{
    private static final long REPORT_EVERY_MS = 500;

    @Mixin
    CommonOptions common;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--supervised", hidden = true,
            description = "Run as the ingester of 'lambda up': report in run/ingest.json, count in run/ingest.ledger, leave the topics to up.")
    boolean supervised;

    @Override
    public Integer call()
            throws InterruptedException
    {
        LambdaConfig config = common.load(ingest.overrides());
        Logging.configure(config.dataDir().resolve("logs"), "ingest", common.verbose);
        String bootstrapServers = config.kafka().bootstrapServers()
                .or(() -> new RuntimeFile(config.dataDir()).read().filter(RunningSystem::isAlive).map(RuntimeState::kafkaBootstrapServers))
                .orElseThrow(() -> new ConfigException("kafka.bootstrap.servers: not set, and no 'lambda up' is running on " + config.dataDir()));
        if (!supervised) {
            TradeTopics.of(config.kafka()).ensure(bootstrapServers, Duration.ofSeconds(60));
        }
        IngestMetrics metrics = supervised ? new IngestMetrics(IngestLedger.mapped(IngestChild.ledgerFile(config.dataDir()))) : new IngestMetrics();
        IngestPipeline pipeline = new IngestPipeline(config.ingest(), bootstrapServers, config.kafka().topic(), config.kafka().deadLetterTopic(),
                metrics, Clock.systemUTC(), System.getenv());
        Thread main = Thread.currentThread();
        IngestLayer layer = new IngestLayer(pipeline, refusal -> main.interrupt());
        Console console = new Console(System.out, System.console() != null);
        ProgressReporter progress = new ProgressReporter(layer, config.ingest().source(), console);
        StopSignals.onStop(main::interrupt);
        console.line("lambda ingest: " + config.ingest().source() + " -> " + bootstrapServers + " topic " + config.kafka().topic());
        Optional<StateFile<IngestReport>> reports = supervised ? Optional.of(new StateFile<>(config.dataDir(), IngestReport.FILE, IngestReport.class)) : Optional.empty();
        layer.start();
        try {
            for (long tick = 1; layer.isRunning(); tick++) {
                Thread.sleep(REPORT_EVERY_MS);
                reports.ifPresent(file -> file.write(IngestReport.of(layer)));
                if (tick % 2 == 0) {
                    progress.tick();
                }
            }
        }
        catch (InterruptedException e) {
            // Ctrl-C: stop below.
        }
        layer.close();
        reports.ifPresent(file -> file.write(IngestReport.of(layer)));
        if ("failed".equals(layer.state())) {
            throw new IllegalStateException(layer.lastError());
        }
        console.line("lambda ingest: stopped; everything ingested is in Kafka");
        return 0;
    }
}
