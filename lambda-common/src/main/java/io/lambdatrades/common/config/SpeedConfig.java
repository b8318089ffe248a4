package io.lambdatrades.common.config;

import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The speed layer: where Spark runs, in which mode, how often it triggers or commits, where its checkpoint lives.
 *
 * @param checkpointDir the checkpoint as a URI (file:, hdfs:, s3a:)
 * @param realTime Spark's real-time mode instead of micro-batches
 * @param groupMax in real-time mode, the longest a trade waits for its group's commit
 * @param groupTrades in real-time mode, the most trades a group commits
 */
public record SpeedConfig(boolean enabled, SparkConfig spark, Duration trigger, int maxBatchTrades, String checkpointDir, boolean realTime, Duration groupMax,
        int groupTrades)
{
    public SpeedConfig
    {
        requireNonNull(spark, "spark is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(checkpointDir, "checkpointDir is null");
        requireNonNull(groupMax, "groupMax is null");
    }

    static SpeedConfig from(ConfigValues values, Path dataDir)
    {
        return new SpeedConfig(
                values.get(Settings.SPEED_ENABLED),
                SparkConfig.from(values),
                Duration.ofMillis(values.get(Settings.SPEED_TRIGGER_MS)),
                values.get(Settings.SPEED_MAX_BATCH_TRADES),
                values.get(Settings.SPEED_CHECKPOINT_DIR).orElseGet(() -> ValueParsers.location(dataDir.resolve("checkpoints").resolve("speed"))),
                values.get(Settings.SPEED_MODE).equals("realtime"),
                Duration.ofMillis(values.get(Settings.SPEED_GROUP_MS)),
                values.get(Settings.SPEED_GROUP_TRADES));
    }
}
