package io.lambdatrades.speed;

import io.lambdatrades.common.Backoff;
import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresErrors;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeDecodingException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The sink of the speed query, run on the driver for each micro-batch: decode, send what does not
 * decode to the dead-letter topic (acknowledged before the batch commits), and write the rest to
 * PostgreSQL, retrying with backoff for as long as PostgreSQL is down, so that the query neither dies
 * nor skips data. An error a retry cannot cure ({@link PostgresErrors}) fails the batch at once.
 */
public final class SpeedBatchWriter
{
    private static final Logger log = LoggerFactory.getLogger(SpeedBatchWriter.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(60);

    private final SpeedSink sink;
    private final Function<DeadLetter, Future<?>> deadLetters;
    private final TradeCodec codec = new TradeCodec();
    private final AtomicLong newestTradeTs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong collectNanos = new AtomicLong();
    private final AtomicLong writeNanos = new AtomicLong();

    /** @param deadLetters sends a dead letter; its future completes when the topic holds it */
    public SpeedBatchWriter(SpeedSink sink, Function<DeadLetter, Future<?>> deadLetters)
    {
        this.sink = requireNonNull(sink, "sink is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
    }

    public void write(Dataset<Row> batch, long batchId)
            throws InterruptedException
    {
        long start = System.nanoTime();
        List<Row> rows = batch.select("value", "partition", "offset").collectAsList();
        long collected = System.nanoTime();
        List<KafkaTrade> trades = new ArrayList<>(rows.size());
        List<Future<?>> sends = new ArrayList<>();
        for (Row row : rows) {
            byte[] value = row.getAs("value");
            try {
                Trade trade = codec.decode(value);
                trades.add(new KafkaTrade(trade, row.<Integer>getAs("partition"), row.<Long>getAs("offset")));
            }
            catch (TradeDecodingException e) {
                sends.add(deadLetters.apply(new DeadLetter(value == null ? new byte[0] : value, e.getMessage(), "speed")));
            }
        }
        for (Future<?> send : sends) {
            try {
                send.get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("batch " + batchId + ": cannot send a record that is no trade to the dead-letter topic: "
                        + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        }
        writeWithRetry(batchId, trades);
        trades.forEach(trade -> newestTradeTs.accumulateAndGet(trade.trade().ts(), Math::max));
        written.addAndGet(trades.size());
        batches.incrementAndGet();
        collectNanos.addAndGet(collected - start);
        writeNanos.addAndGet(System.nanoTime() - collected);
    }

    /** Where the time of the batches so far went: Spark (reading Kafka, collecting) and PostgreSQL. */
    public Timings timings()
    {
        return new Timings(batches.get(), collectNanos.get() / 1_000_000, writeNanos.get() / 1_000_000);
    }

    public record Timings(long batches, long collectMillis, long writeMillis) {}

    private void writeWithRetry(long batchId, List<KafkaTrade> trades)
            throws InterruptedException
    {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (true) {
            try {
                if (!sink.write(batchId, trades)) {
                    log.info("Batch {}: its trades were written before; skipped", batchId);
                }
                return;
            }
            catch (SQLException e) {
                if (!PostgresErrors.isTransient(e)) {
                    throw new IllegalStateException("cannot write batch " + batchId + " to PostgreSQL: " + Failures.oneLine(e), e);
                }
                Duration delay = backoff.next();
                log.warn("Cannot write batch {} to PostgreSQL, retry {} in {} ms: {}", batchId, backoff.attempts(), delay.toMillis(), e.getMessage());
                TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            }
        }
    }

    /** Newest trade time written, Long.MIN_VALUE before the first. */
    public long newestTradeTs()
    {
        return newestTradeTs.get();
    }

    public long written()
    {
        return written.get();
    }
}
