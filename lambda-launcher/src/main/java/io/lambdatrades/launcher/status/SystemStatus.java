package io.lambdatrades.launcher.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lambdatrades.common.StatusFigures;
import io.lambdatrades.speed.SpeedMetrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One screen of health, as {@code lambda status} prints it and {@code --json} serialises it.
 *
 * @param servingUrl where the dashboard and API answer, null when the serving layer does not run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SystemStatus(
        boolean healthy,
        String dataDir,
        Disk disk,
        Service kafka,
        Service postgres,
        Map<String, Topic> topics,
        Batch batch,
        Map<String, Layer> layers,
        Ingest ingest,
        SpeedMetrics speed,
        String servingUrl,
        List<String> problems)
{
    public SystemStatus
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(disk, "disk is null");
        requireNonNull(kafka, "kafka is null");
        requireNonNull(postgres, "postgres is null");
        topics = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(topics, "topics is null")));
        requireNonNull(batch, "batch is null");
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(layers, "layers is null")));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /** The figures the serving layer exports as metrics; the topics by their configured names. */
    public StatusFigures figures(String tradesTopic, String deadLetterTopic)
    {
        Map<String, StatusFigures.Layer> layerFigures = new LinkedHashMap<>();
        layers.forEach((name, layer) -> layerFigures.put(name, new StatusFigures.Layer("running".equals(layer.state()), figure(layer.restarts()))));
        return new StatusFigures(
                healthy,
                ingest == null ? StatusFigures.Ingest.UNKNOWN : new StatusFigures.Ingest(ingest.tradesPerSecond(), ingest.trades(), ingest.deadLetters(), ingest.tradesMayBeMissing()),
                speed == null ? StatusFigures.Speed.UNKNOWN : new StatusFigures.Speed(speed.delayMs(), speed.lag(), speed.processedRowsPerSecond()),
                figure(batch.lateTrades()),
                topicRecords(tradesTopic),
                topicRecords(deadLetterTopic),
                disk.freeBytes(),
                layerFigures);
    }

    private double topicRecords(String name)
    {
        Topic topic = topics.get(name);
        return topic == null ? Double.NaN : topic.records();
    }

    private static double figure(Long value)
    {
        return value == null ? Double.NaN : value;
    }

    /**
     * @param state up, down or unknown (nothing says where it is)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Service(String state, String bootstrapServers, String jdbcUrl) {}

    /** @param minFreeBytes data.min.free.mb: under it, status is degraded */
    public record Disk(long freeBytes, long totalBytes, long minFreeBytes) {}

    /** @param records end offsets minus start offsets, summed over partitions */
    public record Topic(long records, int partitions) {}

    /**
     * @param cutoff ISO-8601 UTC; null, as every field, when PostgreSQL cannot be read
     * @param lateTrades trades the speed layer saw for closed periods, which the next batch run adds to the views
     * @param nextRunAt when the scheduler next closes periods
     * @param lastRuns the newest runs first
     * @param offsetsLost offsets Kafka deleted before they were absorbed, not acknowledged yet
     * @param oldestUnabsorbedHours how long the oldest trade the master dataset lacks has been in Kafka
     * @param retentionHours how long Kafka keeps a trade
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Batch(String cutoff, Long lateTrades, String nextRunAt, List<Run> lastRuns, Long offsetsLost, Double oldestUnabsorbedHours,
            Integer retentionHours)
    {
        /** Past this share of the retention, the unabsorbed trades are at risk and status says so. */
        static final double RETENTION_WARNING = 0.5;

        static Batch unknown()
        {
            return new Batch(null, null, null, null, null, null, null);
        }

        boolean retentionAtRisk()
        {
            return oldestUnabsorbedHours != null && retentionHours != null && oldestUnabsorbedHours > RETENTION_WARNING * retentionHours;
        }
    }

    /** One run of the history, in short. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(long runId, String periodStart, String trigger, String state, int attempts, Double seconds, String error) {}

    /**
     * @param state running, restarting, stopped, down, or absent (not part of this build)
     * @param pid the process the layer runs in, when it runs
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** @param restarts how many times the supervisor restarted the layer since up started */
    public record Layer(String state, Long pid, String detail, Long restarts) {}

    /**
     * @param lastFrameAgeMs null before the first feed message (and for the simulator)
     * @param lastTradeAtBySymbol ISO-8601 time of each symbol's newest trade
     * @param tradesMayBeMissing trades sent by an ingester that died (kill -9) before Kafka acknowledged them, since up started
     * @param framesMayBeMissing feed frames such an ingester received and had not sent all the trades of
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Ingest(
            String source,
            String phase,
            double tradesPerSecond,
            long trades,
            long deadLetters,
            String lastTradeAt,
            long restarts,
            long frames,
            long pings,
            long unknownMessages,
            long reconnects,
            Long lastFrameAgeMs,
            int bufferedFrames,
            Map<String, String> lastTradeAtBySymbol,
            long tradesMayBeMissing,
            long framesMayBeMissing) {}
}
