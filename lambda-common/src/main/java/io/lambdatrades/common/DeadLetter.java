package io.lambdatrades.common;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * A rejected input on the dead-letter topic: the raw bytes as received, untouched, with the reason
 * and the source in record headers so that nothing about the input is lost.
 *
 * @param raw the bytes as received (a feed frame, a Kafka value)
 * @param reason why it was rejected, one line
 * @param source where it came from: finnhub, replay, simulate, speed, batch
 */
public record DeadLetter(byte[] raw, String reason, String source)
{
    public static final String REASON_HEADER = "dlq.reason";
    public static final String SOURCE_HEADER = "dlq.source";

    public DeadLetter
    {
        requireNonNull(raw, "raw is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(source, "source is null");
    }

    public ProducerRecord<byte[], byte[]> toProducerRecord(String topic)
    {
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, (byte[]) null, raw, headers);
    }

    public static DeadLetter fromConsumerRecord(ConsumerRecord<byte[], byte[]> record)
    {
        return new DeadLetter(
                record.value() == null ? new byte[0] : record.value(),
                header(record, REASON_HEADER),
                header(record, SOURCE_HEADER));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key)
    {
        Header header = record.headers().lastHeader(key);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
