package io.lambdatrades.embedded.testing;

import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeTopics;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Topics for a test: created as the system creates them, and read back whole. */
public final class KafkaTopics
{
    private KafkaTopics() {}

    /** Creates {@code topic} and {@code topic.dlq} with 3 partitions, leaders elected; returns the topic. */
    public static String createTradeTopics(EmbeddedKafka kafka, String topic)
            throws InterruptedException
    {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            new TradeTopics(topic, topic + ".dlq", 3, Duration.ofDays(1).toMillis()).ensure(admin, Duration.ofSeconds(30));
        }
        return topic;
    }

    /** Every record of the topic, up to its end offsets when called, partition after partition. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic)
    {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Every trade of the topic with its place in Kafka, as {@link #readAll} reads them. */
    public static List<SentTrade> readTrades(String bootstrapServers, String topic)
    {
        TradeCodec codec = new TradeCodec();
        return readAll(bootstrapServers, topic).stream()
                .map(record -> new SentTrade(codec.decode(record.value()), record.partition(), record.offset()))
                .toList();
    }
}
