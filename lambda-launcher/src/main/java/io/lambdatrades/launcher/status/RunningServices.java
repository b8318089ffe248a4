package io.lambdatrades.launcher.status;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.ConfigException;
import io.lambdatrades.common.config.LambdaConfig;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a one-layer command finds Kafka, PostgreSQL and the metastore: the configured (external)
 * services, else those of the {@code lambda up} running on the same data directory.
 */
public record RunningServices(Optional<RuntimeState> running, LambdaConfig config)
{
    public RunningServices
    {
        requireNonNull(running, "running is null");
        requireNonNull(config, "config is null");
    }

    public static RunningServices find(LambdaConfig config)
    {
        return new RunningServices(new RuntimeFile(config.dataDir()).read().filter(RunningSystem::isAlive), config);
    }

    public String bootstrapServers()
    {
        return config.kafka().bootstrapServers()
                .or(() -> running.map(RuntimeState::kafkaBootstrapServers))
                .orElseThrow(() -> new ConfigException("kafka.bootstrap.servers: not set, and no 'lambda up' is running on " + config.dataDir()));
    }

    public PostgresConnection postgres()
    {
        return config.postgres().jdbcUrl()
                .map(url -> new PostgresConnection(url, config.postgres().user(), config.postgres().password()))
                .or(() -> running.map(state -> new PostgresConnection(state.postgresJdbcUrl(), state.postgresUser(), "")))
                .orElseThrow(() -> new ConfigException("postgres.jdbc.url: not set, and no 'lambda up' is running on " + config.dataDir()));
    }

    /** Whether a running {@code lambda up} on this data directory runs the scheduler, whose queue batch runs then go through. */
    public boolean schedulerRuns()
    {
        return running.map(state -> state.layers().containsKey("scheduler")).orElse(false);
    }

    /** The running system's embedded metastore database, when there is one. */
    public Optional<String> metastoreJdbcUrl()
    {
        return running.map(RuntimeState::metastoreJdbcUrl).filter(url -> !url.isEmpty());
    }
}
