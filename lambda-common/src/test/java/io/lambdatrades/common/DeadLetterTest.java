package io.lambdatrades.common;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest
{
    @Test
    void keepsTheRawBytesUntouchedWithReasonAndSourceInHeaders()
    {
        byte[] raw = "{\"type\":\"trade\",\"data\":[{\"p\":-1}]}".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> produced = new DeadLetter(raw, "price must be finite and > 0, was -1.0", "finnhub").toProducerRecord("trades.dlq");

        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>("trades.dlq", 0, 7, 0L, TimestampType.CREATE_TIME, 0, raw.length,
                produced.key(), produced.value(), produced.headers(), Optional.empty());
        DeadLetter read = DeadLetter.fromConsumerRecord(consumed);

        assertThat(produced.topic()).isEqualTo("trades.dlq");
        assertThat(read.raw()).isEqualTo(raw);
        assertThat(read.reason()).isEqualTo("price must be finite and > 0, was -1.0");
        assertThat(read.source()).isEqualTo("finnhub");
    }
}
