package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.KafkaUnavailableException;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Writes trades (key = symbol, value = single-object Avro) and dead letters to Kafka with the
 * production settings: idempotent, acks=all, lz4. A full send buffer blocks the caller, so a slow
 * or stopped Kafka pauses the feed instead of dropping trades. The first failed send is kept and fails the next
 * send or flush: nothing fails silently. Not thread safe (one codec).
 */
public final class TradeProducer
        implements AutoCloseable
{
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String deadLetterTopic;
    private final IngestMetrics metrics;
    private final TradeCodec codec = new TradeCodec();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Callback tradeCallback;
    private final Callback deadLetterCallback;

    public TradeProducer(String bootstrapServers, String topic, String deadLetterTopic, IngestMetrics metrics)
    {
        this.producer = new KafkaProducer<>(productionSettings(bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = requireNonNull(topic, "topic is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.tradeCallback = (metadata, exception) -> {
            if (exception == null) {
                metrics.recordAcknowledged();
            }
            else {
                fail(exception);
            }
        };
        this.deadLetterCallback = (metadata, exception) -> {
            if (exception != null) {
                fail(exception);
            }
        };
    }

    public static Map<String, Object> productionSettings(String bootstrapServers)
    {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireNonNull(bootstrapServers, "bootstrapServers is null"));
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "lambda-ingest");
        // Kafka down: send() waits for room and records wait for the broker, however long it takes,
        // so the feed pauses instead of trades expiring. Stopping interrupts the wait.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.MAX_VALUE);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        return settings;
    }

    public void send(Trade trade)
    {
        throwIfFailed();
        byte[] key = trade.symbol().getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, key, codec.encode(trade)), tradeCallback);
        }
        catch (KafkaException e) {
            throw new KafkaUnavailableException("cannot send a trade of " + trade.symbol() + " to topic '" + topic + "': " + e.getMessage(), e);
        }
        metrics.recordSent(trade.symbol(), trade.ts());
    }

    public void send(DeadLetter deadLetter)
    {
        throwIfFailed();
        try {
            producer.send(deadLetter.toProducerRecord(deadLetterTopic), deadLetterCallback);
        }
        catch (KafkaException e) {
            throw new KafkaUnavailableException("cannot send a dead letter to topic '" + deadLetterTopic + "': " + e.getMessage(), e);
        }
        metrics.recordDeadLetter();
    }

    /** Waits until Kafka holds everything sent so far. */
    public void flush()
    {
        producer.flush();
        throwIfFailed();
    }

    private void fail(Exception exception)
    {
        metrics.recordFailed();
        firstFailure.compareAndSet(null, exception);
    }

    private void throwIfFailed()
    {
        Exception failure = firstFailure.get();
        if (failure != null) {
            throw new KafkaUnavailableException("Kafka refused a record of topic '" + topic + "': " + failure.getMessage(), failure);
        }
    }

    /** Closes after sending what is buffered, even when the thread was interrupted to stop it. */
    @Override
    public void close()
    {
        Interrupts.runUninterrupted(producer::close);
    }
}
