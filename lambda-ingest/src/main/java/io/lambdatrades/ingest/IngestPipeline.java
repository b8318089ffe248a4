package io.lambdatrades.ingest;

import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.common.config.ConfigException;
import io.lambdatrades.common.config.IngestConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/** One ingester wired from configuration: the configured feed, validation, the Kafka producer. */
public final class IngestPipeline
{
    private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);
    private static final Duration TAIL_TIMEOUT = Duration.ofSeconds(60);

    private final IngestConfig config;
    private final String bootstrapServers;
    private final String topic;
    private final String deadLetterTopic;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final AtomicReference<String> phase = new AtomicReference<>("starting");
    private final Optional<FinnhubToken> token;

    /**
     * @param environment where {@code FINNHUB_TOKEN} is looked up
     * @throws ConfigException when the configured source cannot start (no token, no recording)
     */
    public IngestPipeline(IngestConfig config, String bootstrapServers, String topic, String deadLetterTopic, IngestMetrics metrics, Clock clock, Map<String, String> environment)
    {
        this.config = requireNonNull(config, "config is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.token = "finnhub".equals(config.source())
                ? Optional.of(FinnhubToken.resolve(environment, config.finnhub().tokenFile()))
                : Optional.empty();
        config.replay().file().filter(file -> "replay".equals(config.source()) && !Files.isReadable(file)).ifPresent(file -> {
            throw new ConfigException("replay.file: " + file + " does not exist or cannot be read");
        });
    }

    /** Ingests until the thread is interrupted; a Kafka failure ends it with an exception. */
    public void run()
    {
        phase.set("starting");
        try (TradeProducer producer = new TradeProducer(bootstrapServers, topic, deadLetterTopic, metrics)) {
            TradeFeed feed = feed();
            new Ingester(feed, new TradeValidator(clock), producer).run();
        }
        finally {
            phase.set("stopped");
        }
    }

    private TradeFeed feed()
    {
        return switch (config.source()) {
            case "finnhub" -> {
                phase.set("live");
                FinnhubConnection connection = new FinnhubConnection(config.finnhub(), token.orElseThrow(), config.symbols(), config.bufferFrames(), metrics, clock);
                yield new FinnhubFeed(connection, new FinnhubFrameParser("finnhub", new TradeValidator(clock)), metrics);
            }
            case "replay" -> {
                phase.set("replay");
                yield new ReplayFeed(config.replay().file().orElseThrow(), config.replay().speed(), new FinnhubFrameParser("replay", new TradeValidator(clock)), metrics, clock);
            }
            default -> simulatedFeed();
        };
    }

    private TradeFeed simulatedFeed()
    {
        ResumePoint resume = new TradeLogTail(bootstrapServers, topic).read(TAIL_TIMEOUT);
        if (!resume.isEmpty()) {
            log.info("Trade log ends at {}; the simulated market continues from there", Instant.ofEpochMilli(resume.lastTs()));
        }
        return new SimulatedFeed(
                config.seed(),
                SimulatedInstrument.of(config.symbols()),
                config.rate(),
                Duration.ofDays(config.historyDays()),
                config.historyRate(),
                resume,
                clock,
                newPhase -> phase.set(newPhase.name().toLowerCase(Locale.ROOT)));
    }

    /** What the feed is doing: starting, history, live, replay, stopped. */
    public String phase()
    {
        return phase.get();
    }

    public IngestMetrics metrics()
    {
        return metrics;
    }
}
