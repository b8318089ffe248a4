package io.lambdatrades.ingest;

import io.lambdatrades.common.KafkaUnavailableException;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeDecodingException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Reads the last records of every partition of the trade topic to find where the log ends. */
public final class TradeLogTail
{
    private static final int RECORDS_PER_PARTITION = 10_000;

    private final String bootstrapServers;
    private final String topic;

    public TradeLogTail(String bootstrapServers, String topic)
    {
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
    }

    public ResumePoint read(Duration timeout)
    {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, timeout);
            consumer.assign(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - RECORDS_PER_PARTITION));
            }
            return readToEnd(consumer, partitions, ends, timeout);
        }
        catch (KafkaException e) {
            throw new KafkaUnavailableException("cannot read the end of topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private ResumePoint readToEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> ends, Duration timeout)
    {
        TradeCodec codec = new TradeCodec();
        long lastTs = Long.MIN_VALUE;
        Map<String, Double> lastPrices = new HashMap<>();
        Map<String, Long> lastPriceTs = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!reachedEnd(consumer, partitions, ends)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaUnavailableException("cannot read the end of topic '" + topic + "' within " + timeout.toSeconds() + " s", null);
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Trade trade;
                try {
                    trade = codec.decode(record.value());
                }
                catch (TradeDecodingException e) {
                    continue;
                }
                lastTs = Math.max(lastTs, trade.ts());
                if (trade.ts() >= lastPriceTs.getOrDefault(trade.symbol(), Long.MIN_VALUE)) {
                    lastPriceTs.put(trade.symbol(), trade.ts());
                    lastPrices.put(trade.symbol(), trade.price());
                }
            }
        }
        return new ResumePoint(lastTs, lastPrices);
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> ends)
    {
        return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
    }
}
