package io.lambdatrades.common.config;

import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The speed layer: where Spark runs, how often it triggers, where its checkpoint lives.
 *
 * @param checkpointDir the checkpoint as a URI (file:, hdfs:, s3a:)
 */
public record SpeedConfig(boolean enabled, SparkConfig spark, Duration trigger, int maxBatchTrades, String checkpointDir)
{
    public SpeedConfig
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(checkpointDir, "checkpointDir is null");
    }

    static SpeedConfig from(ConfigValues values, Path dataDir)
    {
        return new SpeedConfig(
                values.get(Settings.SPEED_ENABLED),
                SparkConfig.from(values),
                Duration.ofMillis(values.get(Settings.SPEED_TRIGGER_MS)),
                values.get(Settings.SPEED_MAX_BATCH_TRADES),
                values.get(Settings.SPEED_CHECKPOINT_DIR).orElseGet(() -> ValueParsers.location(dataDir.resolve("checkpoints").resolve("speed"))));
    }
}
