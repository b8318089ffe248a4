package io.lambdatrades.embedded;

import io.lambdatrades.embedded.testing.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(SharedKafka.class)
class EmbeddedKafkaIT
{
    @Test
    void producesAndConsumesThroughTheBroker(EmbeddedKafka kafka)
            throws Exception
    {
        createTopic(kafka.bootstrapServers(), "produce-consume");
        List<String> sent = IntStream.range(0, 500).mapToObj(i -> "record-" + i).toList();
        produce(kafka.bootstrapServers(), "produce-consume", sent);

        assertThat(consumeAll(kafka.bootstrapServers(), "produce-consume", sent.size())).containsExactlyElementsOf(sent);
    }

    @Test
    void restartOnTheSameLogDirectoryLosesNothing(@TempDir Path logDir)
            throws Exception
    {
        List<String> sent = IntStream.range(0, 2_000).mapToObj(i -> "trade-" + i).toList();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, 0)) {
            createTopic(kafka.bootstrapServers(), "durable");
            produce(kafka.bootstrapServers(), "durable", sent);
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start(logDir, 0, 0)) {
            assertThat(consumeAll(kafka.bootstrapServers(), "durable", sent.size())).containsExactlyElementsOf(sent);
        }
    }

    @Test
    void aBusyPortIsRefusedWithTheSettingToChange(EmbeddedKafka kafka, @TempDir Path logDir)
    {
        assertThatThrownBy(() -> EmbeddedKafka.start(logDir, kafka.port(), 0))
                .isInstanceOf(PortInUseException.class)
                .hasMessage("port " + kafka.port() + " on 127.0.0.1 is in use (kafka.port): stop what uses it or choose another port");
    }

    private static void createTopic(String bootstrapServers, String topic)
            throws Exception
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static void produce(String bootstrapServers, String topic, List<String> values)
    {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            values.forEach(value -> producer.send(new ProducerRecord<>(topic, value)));
            producer.flush();
        }
    }

    private static List<String> consumeAll(String bootstrapServers, String topic, int expected)
    {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
