package io.lambdatrades.common.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The validated configuration of one process.
 *
 * @param dataMinFreeBytes free space on the data directory's disk under which up warns and status is degraded
 */
public record LambdaConfig(Path dataDir, long dataMinFreeBytes, KafkaConfig kafka, PostgresConfig postgres, IngestConfig ingest, SpeedConfig speed, BatchConfig batch, SchedulerConfig scheduler, ServingConfig serving,
        Map<String, String> effective)
{
    public LambdaConfig
    {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(kafka, "kafka is null");
        requireNonNull(postgres, "postgres is null");
        requireNonNull(ingest, "ingest is null");
        requireNonNull(speed, "speed is null");
        requireNonNull(batch, "batch is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(serving, "serving is null");
        effective = Map.copyOf(requireNonNull(effective, "effective is null"));
    }

    /**
     * @throws ConfigException listing every problem, one line each
     */
    public static LambdaConfig load(Optional<Path> file, Map<String, String> environment, Map<String, ConfigLoader.Origin> commandLine)
    {
        ConfigValues values = new ConfigLoader(Settings.ALL).load(file, environment, commandLine);
        IngestConfig ingest = IngestConfig.from(values);
        if (!ingest.sourceProblems().isEmpty()) {
            throw new ConfigException(ingest.sourceProblems());
        }
        Path dataDir = values.get(Settings.DATA_DIR).toAbsolutePath().normalize();
        return new LambdaConfig(
                dataDir,
                values.get(Settings.DATA_MIN_FREE_MB) * 1024L * 1024L,
                KafkaConfig.from(values),
                PostgresConfig.from(values),
                ingest,
                SpeedConfig.from(values, dataDir),
                BatchConfig.from(values, dataDir),
                SchedulerConfig.from(values),
                ServingConfig.from(values),
                values.describe());
    }
}
