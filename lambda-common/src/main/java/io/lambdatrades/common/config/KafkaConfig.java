package io.lambdatrades.common.config;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * @param bootstrapServers an external cluster, or empty for the embedded broker
 */
public record KafkaConfig(
        Optional<String> bootstrapServers,
        int port,
        int controllerPort,
        String topic,
        String deadLetterTopic,
        int partitions,
        Duration retention)
{
    public KafkaConfig
    {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topic, "topic is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        requireNonNull(retention, "retention is null");
    }

    static KafkaConfig from(ConfigValues values)
    {
        String servers = values.get(Settings.KAFKA_BOOTSTRAP_SERVERS).trim();
        return new KafkaConfig(
                servers.isEmpty() ? Optional.empty() : Optional.of(servers),
                values.get(Settings.KAFKA_PORT),
                values.get(Settings.KAFKA_CONTROLLER_PORT),
                values.get(Settings.KAFKA_TOPIC),
                values.get(Settings.KAFKA_DLQ_TOPIC),
                values.get(Settings.KAFKA_PARTITIONS),
                Duration.ofHours(values.get(Settings.KAFKA_RETENTION_HOURS)));
    }
}
