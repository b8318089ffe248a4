package io.lambdatrades.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest
{
    @Test
    void aWrappedDiskErrorNamesItsRootCause()
    {
        Exception spark = new IllegalStateException("[TASK_WRITE_FAILED] Task failed while writing rows to file:/data/part-0.avro. SQLSTATE: 58030\n"
                + "Driver stacktrace:\n\tat org.apache.spark.Something", new UncheckedIOException(new IOException("No space left on device")));

        assertThat(Failures.oneLine(spark))
                .isEqualTo("[TASK_WRITE_FAILED] Task failed while writing rows to file:/data/part-0.avro. SQLSTATE: 58030 (cause: No space left on device)");
    }

    @Test
    void aMessageThatAlreadySaysItsCauseIsLeftAlone()
    {
        Exception wrapped = new IllegalStateException("cannot reach Kafka: connection refused", new IOException("connection refused"));

        assertThat(Failures.oneLine(wrapped)).isEqualTo("cannot reach Kafka: connection refused");
        assertThat(Failures.oneLine(new IllegalArgumentException("bad date"))).isEqualTo("bad date");
    }

    @Test
    void aFailureWithoutMessageIsNamedByItsClassAndACauseWithoutOneIsLeftOut()
    {
        assertThat(Failures.oneLine(new IllegalStateException("  "))).isEqualTo("IllegalStateException");
        assertThat(Failures.oneLine(new RuntimeException("Kafka at 127.0.0.1:1: no answer within 30 s", new TimeoutException())))
                .isEqualTo("Kafka at 127.0.0.1:1: no answer within 30 s");
    }
}
