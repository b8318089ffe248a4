package io.lambdatrades.common;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The trades in Kafka that the master dataset has not absorbed yet, as far as their oldest: the first
 * record after each partition's absorbed offsets (in {@code absorb_offsets}). The scheduler starts its
 * catch-up at that trade's period; status compares the record's age with Kafka's retention.
 */
public final class UnabsorbedTrades
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final PostgresConnection postgres;
    private final String bootstrapServers;
    private final String topic;

    public UnabsorbedTrades(PostgresConnection postgres, String bootstrapServers, String topic)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
    }

    /** The oldest unabsorbed record, or empty when the master dataset has every trade Kafka holds. */
    public Optional<Oldest> oldest()
            throws SQLException
    {
        Map<Integer, Long> absorbed = AbsorbedOffsets.read(postgres, topic);
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "lambda-unabsorbed",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty();
            }
            List<TopicPartition> topicPartitions = partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(topicPartitions, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(topicPartitions, TIMEOUT);
            Map<TopicPartition, Long> start = new HashMap<>();
            long records = 0;
            for (TopicPartition partition : topicPartitions) {
                long from = Math.max(absorbed.getOrDefault(partition.partition(), 0L), beginning.get(partition));
                if (from < end.get(partition)) {
                    start.put(partition, from);
                    records += end.get(partition) - from;
                }
            }
            if (start.isEmpty()) {
                return Optional.empty();
            }
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            return firstRecords(consumer, start.keySet(), records);
        }
    }

    private Optional<Oldest> firstRecords(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> partitions, long records)
    {
        TradeCodec codec = new TradeCodec();
        Set<TopicPartition> seen = new HashSet<>();
        Instant oldestTrade = null;
        Instant oldestRecord = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen.size() < partitions.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (!seen.add(partition)) {
                    continue;
                }
                consumer.pause(List.of(partition));
                Instant entered = Instant.ofEpochMilli(record.timestamp());
                oldestRecord = oldestRecord == null || entered.isBefore(oldestRecord) ? entered : oldestRecord;
                try {
                    Instant traded = Instant.ofEpochMilli(codec.decode(record.value()).ts());
                    oldestTrade = oldestTrade == null || traded.isBefore(oldestTrade) ? traded : oldestTrade;
                }
                catch (TradeDecodingException e) {
                    // Not a trade (it went to the dead-letter topic): its age in Kafka still counts.
                }
            }
        }
        return oldestRecord == null ? Optional.empty() : Optional.of(new Oldest(Optional.ofNullable(oldestTrade), oldestRecord, records));
    }

    /**
     * @param tradeTs the oldest trade time among the first unabsorbed record of each partition
     * @param enteredKafka when the oldest of those records entered Kafka, which retention counts from
     * @param records unabsorbed records in all
     */
    public record Oldest(Optional<Instant> tradeTs, Instant enteredKafka, long records)
    {
        public Oldest
        {
            requireNonNull(tradeTs, "tradeTs is null");
            requireNonNull(enteredKafka, "enteredKafka is null");
        }
    }
}
