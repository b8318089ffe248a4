package io.lambdatrades.bench;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.TradeCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor the speed layer is compared with: a plain Kafka consumer that copies each poll into
 * PostgreSQL (COPY, one commit per poll, fsync on) and notes, per trade, commit time minus send time.
 */
final class PlainConsumerFloor
{
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong written = new AtomicLong();
    private long[] delays = new long[1024];
    private int size;

    private PlainConsumerFloor(String bootstrapServers, String topic, PostgresConnection database)
    {
        this.thread = new Thread(() -> run(bootstrapServers, topic, database), "bench-floor-consumer");
    }

    static PlainConsumerFloor start(String bootstrapServers, String topic, PostgresConnection database)
    {
        PlainConsumerFloor floor = new PlainConsumerFloor(bootstrapServers, topic, database);
        floor.thread.start();
        return floor;
    }

    long written()
    {
        return written.get();
    }

    /** @return the delays, sorted */
    long[] stop()
            throws InterruptedException
    {
        running.set(false);
        thread.join();
        long[] result = Arrays.copyOf(delays, size);
        Arrays.sort(result);
        return result;
    }

    private void run(String bootstrapServers, String topic, PostgresConnection database)
    {
        Map<String, Object> settings = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-floor-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        TradeCodec codec = new TradeCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                Connection connection = database.open()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE floor_trades (kafka_partition integer, kafka_offset bigint, symbol text, price double precision, volume double precision, ts bigint, ingest_ts bigint)");
            }
            connection.commit();
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                StringBuilder csv = new StringBuilder();
                long[] sentAt = new long[records.count()];
                int index = 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    var trade = codec.decode(record.value());
                    csv.append(record.partition()).append(',').append(record.offset()).append(",\"").append(trade.symbol()).append("\",")
                            .append(trade.price()).append(',').append(trade.volume()).append(',').append(trade.ts()).append(',').append(trade.ingestTs()).append('\n');
                    sentAt[index++] = trade.ingestTs();
                }
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY floor_trades FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
                connection.commit();
                long committedAt = System.currentTimeMillis();
                for (long sent : sentAt) {
                    record(committedAt - sent);
                }
                written.addAndGet(records.count());
            }
        }
        catch (Exception e) {
            throw new IllegalStateException("the floor consumer failed: " + e.getMessage(), e);
        }
    }

    private void record(long delay)
    {
        if (size == delays.length) {
            delays = Arrays.copyOf(delays, size * 2);
        }
        delays[size++] = delay;
    }
}
