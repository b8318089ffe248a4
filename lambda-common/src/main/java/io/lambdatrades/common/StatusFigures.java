package io.lambdatrades.common;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The figures of {@code lambda status} that the serving layer exports as metrics: one typed definition
 * for the launcher, which probes them, and the serving layer, which reads them. A figure status could
 * not tell is NaN, which is how Prometheus shows an absent value.
 *
 * @param batchLateTrades trades for closed periods waiting for the next batch run
 * @param tradesTopicRecords records in the trades topic
 * @param deadLetterTopicRecords records in the dead-letter topic
 * @param dataFreeBytes free space on the data directory's disk
 * @param layers by layer name (ingest, speed, scheduler, serving)
 */
public record StatusFigures(
        boolean healthy,
        Ingest ingest,
        Speed speed,
        double batchLateTrades,
        double tradesTopicRecords,
        double deadLetterTopicRecords,
        double dataFreeBytes,
        Map<String, Layer> layers)
{
    public StatusFigures
    {
        requireNonNull(ingest, "ingest is null");
        requireNonNull(speed, "speed is null");
        layers = Map.copyOf(requireNonNull(layers, "layers is null"));
    }

    /** Nothing known: the probe failed, or nothing runs that could be probed. */
    public static StatusFigures unknown()
    {
        return new StatusFigures(false, Ingest.UNKNOWN, Speed.UNKNOWN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of());
    }

    /** The layer's figures, or those of a layer nothing is known of. */
    public Layer layer(String name)
    {
        return layers.getOrDefault(name, Layer.UNKNOWN);
    }

    /**
     * @param trades handed to Kafka since up started
     * @param deadLetters feed input sent to the dead-letter topic
     * @param tradesMayBeMissing trades an ingester that died had sent and Kafka had not acknowledged
     */
    public record Ingest(double tradesPerSecond, double trades, double deadLetters, double tradesMayBeMissing)
    {
        public static final Ingest UNKNOWN = new Ingest(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * @param delayMs now minus the newest trade time the speed layer wrote; -1 before its first trade
     * @param lagRecords records in Kafka the speed layer has not read
     */
    public record Speed(double delayMs, double lagRecords, double processedPerSecond)
    {
        public static final Speed UNKNOWN = new Speed(Double.NaN, Double.NaN, Double.NaN);
    }

    /** @param restarts times the supervisor restarted the layer since up started */
    public record Layer(boolean running, double restarts)
    {
        public static final Layer UNKNOWN = new Layer(false, Double.NaN);
    }
}
