package io.lambdatrades.speed;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.SpeedQueryNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Real-time mode's figures for status: its writers run in the executors, so the driver reads what
 * they committed (their rows in {@code speed_batches} and {@code speed_offsets}) and Kafka's end
 * offsets, and compares each sample with the one before.
 */
public final class RealTimeProgress
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(RealTimeProgress.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final PostgresConnection postgres;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private Sample previous;

    public RealTimeProgress(PostgresConnection postgres, String bootstrapServers, String topic)
    {
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "lambda-speed-progress",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The figures now; a lag of -1 when Kafka or PostgreSQL does not answer. */
    public SpeedMetrics sample(long now)
    {
        Sample sample;
        try {
            sample = read(now);
        }
        catch (SQLException | RuntimeException e) {
            log.debug("Cannot read the real-time writers' progress: {}", e.getMessage());
            return previous == null ? SpeedMetrics.realTime(now, 0, Long.MIN_VALUE, 0, 0, -1)
                    : SpeedMetrics.realTime(now, previous.written(), previous.newestTradeTs(), 0, 0, -1);
        }
        double seconds = previous == null ? 0 : (sample.at() - previous.at()) / 1e3;
        double in = seconds <= 0 ? 0 : (sample.endOffsets() - previous.endOffsets()) / seconds;
        double written = seconds <= 0 ? 0 : (sample.written() - previous.written()) / seconds;
        previous = sample;
        return SpeedMetrics.realTime(now, sample.written(), sample.newestTradeTs(), in, written, sample.lag());
    }

    private Sample read(long now)
            throws SQLException
    {
        long written;
        long newestTradeTs;
        Map<Integer, Long> nextOffsets = new HashMap<>();
        try (Connection connection = postgres.open(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(
                    "SELECT coalesce(sum(trades), 0), max(newest_trade_ts) FROM lambda.speed_batches WHERE query_name = '" + SpeedQueryNames.REAL_TIME_GROUPS + "'")) {
                rows.next();
                written = rows.getLong(1);
                Timestamp newest = rows.getTimestamp(2);
                newestTradeTs = newest == null ? Long.MIN_VALUE : newest.getTime();
            }
            try (ResultSet rows = statement.executeQuery("SELECT kafka_partition, next_offset FROM lambda.speed_offsets WHERE query_name = '" + SpeedQueryNames.QUERY + "'")) {
                while (rows.next()) {
                    nextOffsets.put(rows.getInt(1), rows.getLong(2));
                }
            }
        }
        List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream().map(info -> new TopicPartition(topic, info.partition())).toList();
        long endOffsets = 0;
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(partitions, TIMEOUT).entrySet()) {
            endOffsets += end.getValue();
            lag += Math.max(0, end.getValue() - nextOffsets.getOrDefault(end.getKey().partition(), 0L));
        }
        return new Sample(now, written, newestTradeTs, endOffsets, lag);
    }

    @Override
    public void close()
    {
        consumer.close();
    }

    private record Sample(long at, long written, long newestTradeTs, long endOffsets, long lag) {}
}
