package io.lambdatrades.batch;

import io.lambdatrades.common.PostgresErrors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.InvalidAvroMagicException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.parquet.io.ParquetDecodingException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failed batch run is worth another attempt, decided once for the batch layer from the first
 * cause that says: a PostgreSQL or metastore error by its SQLSTATE ({@link PostgresErrors}), a
 * retriable Kafka error, a timeout, an I/O error (a lost connection to HDFS or S3, a full disk) or
 * exhausted memory pass; anything else (bad data, a file that cannot be decoded, a broken invariant of
 * the ledger, a schema or a bug) would fail the same way again, so the run fails for good with its one
 * line.
 */
public final class BatchErrors
{
    private BatchErrors() {}

    public static boolean isTransient(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return PostgresErrors.isTransient(sql);
            }
            // A file of the master dataset or the views that cannot be decoded reads the same on every
            // attempt, although the readers throw most of these as I/O errors.
            if (cause instanceof ChecksumException || cause instanceof AvroRuntimeException || cause instanceof InvalidAvroMagicException
                    || cause instanceof ParquetDecodingException) {
                return false;
            }
            // Kafka's own timeouts are retriable too; an UncheckedIOException's cause is an IOException.
            if (cause instanceof RetriableException || cause instanceof TimeoutException || cause instanceof IOException
                    || cause instanceof InterruptedException || cause instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
