package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trades Kafka deleted before the master dataset absorbed them keep {@code lambda status} degraded
 * until {@code lambda batch ack-loss}; unabsorbed trades past half the retention are a problem too.
 */
@ExtendWith({SharedKafka.class, SharedPostgres.class})
class RetentionStatusIT
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void lostTradesKeepStatusDegradedUntilAcknowledgedAndAnOldBacklogIsReported(EmbeddedKafka kafka, EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "retention_status");
        String topic = KafkaTopics.createTradeTopics(kafka, "retention-status");
        Map<String, String> services = Map.of(
                "LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "LAMBDA_POSTGRES_JDBC_URL", database.jdbcUrl(),
                "LAMBDA_KAFKA_TOPIC", topic,
                "LAMBDA_KAFKA_DLQ_TOPIC", topic + ".dlq",
                "LAMBDA_KAFKA_RETENTION_HOURS", "2");
        // A trade that entered Kafka 90 minutes ago and was never absorbed: 1.5 h of a 2 h retention.
        long enteredAt = System.currentTimeMillis() - Duration.ofMinutes(90).toMillis();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            Trade trade = new Trade("AAPL", 190.5, 10, enteredAt, List.of(), "simulate", enteredAt);
            producer.send(new ProducerRecord<>(topic, null, enteredAt, "AAPL".getBytes(StandardCharsets.UTF_8), new TradeCodec().encode(trade))).get();
        }
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO lambda.retention_losses (topic, kafka_partition, first_offset, last_offset) VALUES ('" + topic + "', 1, 0, 41)");
        }

        LambdaProcess.Result degraded = LambdaProcess.run(services, "status", "--json", "--data-dir", dir.toString());
        JsonNode status = JSON.readTree(degraded.stdout());
        assertThat(degraded.exitCode()).isEqualTo(1);
        assertThat(status.at("/batch/offsetsLost").asLong()).isEqualTo(42);
        assertThat(status.at("/batch/retentionHours").asInt()).isEqualTo(2);
        assertThat(status.at("/batch/oldestUnabsorbedHours").asDouble()).isBetween(1.45, 1.7);
        assertThat(status.at("/problems").toString())
                .contains("42 trades were deleted by Kafka before the master dataset absorbed them", "'lambda batch ack-loss' once understood")
                .contains("the oldest of 1 trades not yet absorbed has been in Kafka 1.5 h of its 2 h retention");

        LambdaProcess.Result acknowledged = LambdaProcess.run(services, "batch", "ack-loss", "--data-dir", dir.toString());
        assertThat(acknowledged.exitCode()).as(acknowledged.stderr()).isZero();
        assertThat(acknowledged.stdout()).startsWith("lambda batch ack-loss: acknowledged 42 offsets of " + topic + " partition 1 (0 to 41)");

        JsonNode after = JSON.readTree(LambdaProcess.run(services, "status", "--json", "--data-dir", dir.toString()).stdout());
        assertThat(after.at("/batch/offsetsLost").asLong()).isZero();
        assertThat(after.at("/problems").toString()).doesNotContain("deleted by Kafka");
        assertThat(LambdaProcess.run(services, "batch", "ack-loss", "--data-dir", dir.toString()).stdout()).isEqualTo("lambda batch ack-loss: no unacknowledged loss");
    }
}
