package io.lambdatrades.batch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** The first and the end offsets of every partition of a topic, read once. */
public record TopicOffsets(String topic, Map<Integer, Long> beginning, Map<Integer, Long> end)
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    public TopicOffsets
    {
        requireNonNull(topic, "topic is null");
        beginning = Map.copyOf(beginning);
        end = Map.copyOf(end);
    }

    public static TopicOffsets read(String bootstrapServers, String topic)
    {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "lambda-batch-offsets",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist on " + bootstrapServers);
            }
            List<TopicPartition> topicPartitions = partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            return new TopicOffsets(topic, byPartition(consumer.beginningOffsets(topicPartitions, TIMEOUT)), byPartition(consumer.endOffsets(topicPartitions, TIMEOUT)));
        }
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets)
    {
        return offsets.entrySet().stream().collect(Collectors.toMap(entry -> entry.getKey().partition(), Map.Entry::getValue));
    }

    /** Offsets in the JSON form of Spark's Kafka source options: {"topic":{"0":12,"1":7}}. */
    public static String sparkJson(String topic, Map<Integer, Long> offsets)
    {
        return new TreeMap<>(offsets).entrySet().stream()
                .map(entry -> "\"" + entry.getKey() + "\":" + entry.getValue())
                .collect(Collectors.joining(",", "{\"" + topic.replace("\"", "\\\"") + "\":{", "}}"));
    }
}
