package io.lambdatrades.batch;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.InvalidAvroMagicException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class BatchErrorsTest
{
    @Test
    void aLostServiceAFullDiskOrATimeoutIsRetried()
    {
        assertThat(BatchErrors.isTransient(new IllegalStateException("cannot publish", new SQLException("connection refused", "08001")))).isTrue();
        assertThat(BatchErrors.isTransient(new SQLException("could not serialize access", "40001"))).isTrue();
        assertThat(BatchErrors.isTransient(new ExecutionException(new TimeoutException("Timed out waiting for a node assignment")))).isTrue();
        assertThat(BatchErrors.isTransient(new SparkException("Job aborted due to stage failure",
                new UncheckedIOException(new IOException("No space left on device"))))).isTrue();
        assertThat(BatchErrors.isTransient(new java.util.concurrent.TimeoutException("no lock within 10 minutes"))).isTrue();
    }

    @Test
    void badDataAnIntegrityErrorOrABugFailsForGood()
    {
        assertThat(BatchErrors.isTransient(new IllegalStateException("cannot publish", new SQLException("duplicate key value", "23505")))).isFalse();
        assertThat(BatchErrors.isTransient(new SQLException("relation \"lambda.batch_daily\" does not exist", "42P01"))).isFalse();
        assertThat(BatchErrors.isTransient(new SparkException("Job aborted due to stage failure", new AvroRuntimeException("Malformed data. Length is negative: -40")))).isFalse();
        assertThat(BatchErrors.isTransient(new SparkException("FAILED_READ_FILE.NO_HINT", new AvroRuntimeException(new IOException("Invalid sync!"))))).isFalse();
        assertThat(BatchErrors.isTransient(new SparkException("FAILED_READ_FILE.NO_HINT", new ChecksumException("Checksum error: file:/data/x.avro at 6144", 6144))))
                .isFalse();
        assertThat(BatchErrors.isTransient(new UncheckedIOException(new InvalidAvroMagicException("Not an Avro data file.")))).isFalse();
        assertThat(BatchErrors.isTransient(new IllegalStateException("the ledger holds offsets 0-99 twice"))).isFalse();
        assertThat(BatchErrors.isTransient(new NullPointerException())).isFalse();
    }

    @Test
    void theFirstCauseThatSaysDecides()
    {
        // A statement that failed on bad data, wrapped in an I/O error of the writer around it, is still bad data.
        assertThat(BatchErrors.isTransient(new SQLException("invalid input syntax", "22P02", new IOException("stream closed")))).isFalse();
    }
}
