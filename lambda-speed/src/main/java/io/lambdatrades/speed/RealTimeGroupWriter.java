package io.lambdatrades.speed;

import io.lambdatrades.common.Backoff;
import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresErrors;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.TradeDecodingException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serial;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The sink of the speed query in real-time mode, one per executor task (a Kafka partition for a long
 * epoch): trades are gathered into small groups, each committed to PostgreSQL in one transaction when
 * it holds {@code groupTrades} trades or its first trade has waited {@code groupMax}, whichever comes
 * first, so that the commit's fsync is paid per group, not per trade. Exactly once without Spark's
 * batch ids: the {@link SpeedSink} writes only the trades past the partition's written offset, under
 * that offset's row lock, so a group replayed after a crash or a restart changes nothing. PostgreSQL
 * down: the group is retried with backoff and the task waits, reading nothing more; an error that a
 * retry cannot cure ({@link PostgresErrors}) fails the task. A record that is no trade is sent to the
 * dead-letter topic, and the send is acknowledged before the group after it commits its offsets.
 */
public final class RealTimeGroupWriter
        extends ForeachWriter<Row>
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RealTimeGroupWriter.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(60);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String bootstrapServers;
    private final String deadLetterTopic;
    private final long groupMaxMillis;
    private final int groupTrades;

    private transient SpeedSink sink;
    private transient KafkaProducer<byte[], byte[]> deadLetters;
    private transient TradeCodec codec;
    private transient List<KafkaTrade> group;
    private transient long groupStartedAt;
    private transient ScheduledExecutorService flusher;
    private transient List<Future<RecordMetadata>> deadLettersInFlight;
    // What failed on the flusher thread, rethrown on the task's thread: the task fails, not just the timer.
    private transient volatile RuntimeException flushFailure;

    public RealTimeGroupWriter(PostgresConnection postgres, String bootstrapServers, String deadLetterTopic, Duration groupMax, int groupTrades)
    {
        requireNonNull(postgres, "postgres is null");
        this.jdbcUrl = postgres.jdbcUrl();
        this.user = postgres.user();
        this.password = postgres.password();
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.groupMaxMillis = requireNonNull(groupMax, "groupMax is null").toMillis();
        this.groupTrades = groupTrades;
    }

    @Override
    public boolean open(long partitionId, long epochId)
    {
        sink = new SpeedSink(new PostgresConnection(jdbcUrl, user, password), SpeedQueryNames.QUERY);
        codec = new TradeCodec();
        group = new ArrayList<>(groupTrades);
        deadLettersInFlight = new ArrayList<>();
        flushFailure = null;
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lambda-speed-group-" + partitionId);
            thread.setDaemon(true);
            return thread;
        });
        // A group's deadline is checked often enough that it is kept within a millisecond or two.
        long every = Math.max(1, groupMaxMillis / 2);
        flusher.scheduleWithFixedDelay(this::flushIfDue, every, every, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public void process(Row row)
    {
        throwFlushFailure();
        byte[] value = row.getAs("value");
        KafkaTrade trade;
        try {
            trade = new KafkaTrade(codec.decode(value), row.<Integer>getAs("partition"), row.<Long>getAs("offset"));
        }
        catch (TradeDecodingException e) {
            synchronized (this) {
                deadLettersInFlight.add(deadLetters().send(new DeadLetter(value == null ? new byte[0] : value, e.getMessage(), "speed").toProducerRecord(deadLetterTopic)));
            }
            return;
        }
        synchronized (this) {
            if (group.isEmpty()) {
                groupStartedAt = System.nanoTime();
            }
            group.add(trade);
            if (group.size() >= groupTrades) {
                flush();
            }
        }
    }

    @Override
    public void close(Throwable error)
    {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        if (error == null) {
            throwFlushFailure();
            synchronized (this) {
                flush();
                awaitDeadLetters();
            }
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private synchronized void flushIfDue()
    {
        if (flushFailure != null) {
            return;
        }
        try {
            if (!group.isEmpty() && System.nanoTime() - groupStartedAt >= TimeUnit.MILLISECONDS.toNanos(groupMaxMillis)) {
                flush();
            }
        }
        catch (RuntimeException e) {
            flushFailure = e;
        }
    }

    private void throwFlushFailure()
    {
        RuntimeException failure = flushFailure;
        if (failure != null) {
            throw new IllegalStateException("a timed flush of the speed layer's group failed: " + failure.getMessage(), failure);
        }
    }

    /** Every dead letter sent so far is in its topic, or the task fails and the records are read again. */
    private void awaitDeadLetters()
    {
        for (Future<RecordMetadata> send : deadLettersInFlight) {
            try {
                send.get(DEAD_LETTER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while a dead letter was being sent to " + deadLetterTopic, e);
            }
            catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot send a record that is no trade to " + deadLetterTopic + ": "
                        + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
            }
        }
        deadLettersInFlight.clear();
    }

    /** Commits the group, retrying with backoff for as long as PostgreSQL refuses: nothing is dropped. */
    private void flush()
    {
        if (group.isEmpty()) {
            return;
        }
        awaitDeadLetters();
        int partition = group.get(0).partition();
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (true) {
            try {
                sink.writeGroup(partition, group);
                group = new ArrayList<>(groupTrades);
                return;
            }
            catch (SQLException e) {
                if (!PostgresErrors.isTransient(e)) {
                    throw new IllegalStateException("cannot write a group of " + group.size() + " trades of partition " + partition + " to PostgreSQL: "
                            + Failures.oneLine(e), e);
                }
                Duration delay = backoff.next();
                log.warn("Cannot write a group of {} trades of partition {} to PostgreSQL, retry {} in {} ms: {}", group.size(), partition, backoff.attempts(),
                        delay.toMillis(), e.getMessage());
                try {
                    TimeUnit.MILLISECONDS.sleep(delay.toMillis());
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stopped while PostgreSQL was down; the group is read again from Kafka at the restart", interrupted);
                }
            }
        }
    }

    private KafkaProducer<byte[], byte[]> deadLetters()
    {
        if (deadLetters == null) {
            deadLetters = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.CLIENT_ID_CONFIG, "lambda-speed-dlq"), new ByteArraySerializer(), new ByteArraySerializer());
        }
        return deadLetters;
    }
}
