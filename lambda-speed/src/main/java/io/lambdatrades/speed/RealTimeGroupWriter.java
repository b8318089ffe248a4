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
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The sink of the speed query in real-time mode, one per executor task (a Kafka partition for a long
 * epoch): trades are gathered into small groups, each committed to PostgreSQL in one transaction when
 * it holds {@code groupTrades} trades or its first trade has waited {@code groupMax}, whichever comes
 * first, so that the commit's fsync is paid per group, not per trade. The commits run on a thread of
 * their own, one at a time, while the task goes on reading into the next group: a trade that arrives
 * during a commit is counted from its arrival, and its group commits as soon as that one is done, if it
 * has waited long enough. Exactly once without Spark's batch ids: the {@link SpeedSink} writes only the
 * trades past the partition's written offset, under that offset's row lock, so a group replayed after a
 * crash or a restart changes nothing. PostgreSQL down: the group is retried with backoff and the task
 * waits once the next group is full, reading nothing more; an error that a retry cannot cure
 * ({@link PostgresErrors}) fails the task. A record that is no trade is sent to the dead-letter topic,
 * and the send is acknowledged before the group after it commits its offsets.
 */
public final class RealTimeGroupWriter
        extends ForeachWriter<Row>
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RealTimeGroupWriter.class);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.ofSeconds(60);
    // Longer than a commit takes, short enough that a task stopping on an unanswering PostgreSQL does not hang.
    private static final Duration COMMITTER_STOP = Duration.ofSeconds(10);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String bootstrapServers;
    private final String deadLetterTopic;
    private final long groupMaxNanos;
    private final int groupTrades;

    private transient SpeedSink sink;
    private transient KafkaProducer<byte[], byte[]> deadLetters;
    private transient TradeCodec codec;
    private transient ReentrantLock lock;
    // Signalled when the group fills, its deadline may have moved, or the task closes: the committer looks again.
    private transient Condition groupChanged;
    // Signalled when the committer takes a group or finishes one: the task may add or close.
    private transient Condition groupTaken;
    // Guarded by lock: the group being filled, its first trade's arrival, the dead letters sent since the last group was taken.
    private transient List<KafkaTrade> group;
    private transient long groupStartedAt;
    private transient List<Future<RecordMetadata>> deadLettersInFlight;
    private transient boolean committing;
    private transient boolean closing;
    private transient Thread committer;
    // What failed on the committer thread, rethrown on the task's thread: the task fails, not just the commits.
    private transient volatile RuntimeException commitFailure;

    public RealTimeGroupWriter(PostgresConnection postgres, String bootstrapServers, String deadLetterTopic, Duration groupMax, int groupTrades)
    {
        requireNonNull(postgres, "postgres is null");
        this.jdbcUrl = postgres.jdbcUrl();
        this.user = postgres.user();
        this.password = postgres.password();
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.groupMaxNanos = requireNonNull(groupMax, "groupMax is null").toNanos();
        this.groupTrades = groupTrades;
    }

    @Override
    public boolean open(long partitionId, long epochId)
    {
        sink = new SpeedSink(new PostgresConnection(jdbcUrl, user, password), SpeedQueryNames.QUERY);
        codec = new TradeCodec();
        lock = new ReentrantLock();
        groupChanged = lock.newCondition();
        groupTaken = lock.newCondition();
        group = new ArrayList<>(groupTrades);
        deadLettersInFlight = new ArrayList<>();
        committing = false;
        closing = false;
        commitFailure = null;
        committer = new Thread(this::commitGroups, "lambda-speed-group-" + partitionId);
        committer.setDaemon(true);
        committer.start();
        return true;
    }

    @Override
    public void process(Row row)
    {
        throwCommitFailure();
        byte[] value = row.getAs("value");
        KafkaTrade trade;
        try {
            trade = new KafkaTrade(codec.decode(value), row.<Integer>getAs("partition"), row.<Long>getAs("offset"));
        }
        catch (TradeDecodingException e) {
            Future<RecordMetadata> send = deadLetters().send(new DeadLetter(value == null ? new byte[0] : value, e.getMessage(), "speed").toProducerRecord(deadLetterTopic));
            lock.lock();
            try {
                deadLettersInFlight.add(send);
            }
            finally {
                lock.unlock();
            }
            return;
        }
        lock.lock();
        try {
            // A full group waits for the committer to take it: the task reads nothing more meanwhile.
            while (group.size() >= groupTrades && commitFailure == null) {
                awaitCommitter();
            }
            throwCommitFailure();
            if (group.isEmpty()) {
                groupStartedAt = System.nanoTime();
                groupChanged.signal();
            }
            group.add(trade);
            if (group.size() >= groupTrades) {
                groupChanged.signal();
            }
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void close(Throwable error)
    {
        try {
            if (committer != null) {
                if (error == null) {
                    commitTheRest();
                }
                stopCommitter();
            }
        }
        finally {
            if (deadLetters != null) {
                deadLetters.close();
            }
            if (sink != null) {
                sink.close();
            }
        }
    }

    /** The committer is stopped before the sink it uses is closed: a commit under way ends first, or fails alone. */
    private void stopCommitter()
    {
        committer.interrupt();
        try {
            committer.join(COMMITTER_STOP.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** At the epoch's end: every group gathered is committed, and every dead letter sent is in its topic. */
    private void commitTheRest()
    {
        lock.lock();
        try {
            closing = true;
            groupChanged.signal();
            while ((committing || !group.isEmpty()) && commitFailure == null) {
                awaitCommitter();
            }
            throwCommitFailure();
            List<Future<RecordMetadata>> sent = List.copyOf(deadLettersInFlight);
            deadLettersInFlight.clear();
            awaitDeadLetters(sent);
        }
        finally {
            lock.unlock();
        }
    }

    /** Under the lock, on the task's thread: a stopped query stops the wait (PostgreSQL down, a commit retried). */
    private void awaitCommitter()
    {
        try {
            groupTaken.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while a group was being committed; the trades not committed are read again from Kafka at the restart", e);
        }
    }

    /** The committer thread: takes each group when it is due and commits it, until the task closes or a commit fails. */
    private void commitGroups()
    {
        try {
            while (true) {
                List<KafkaTrade> due;
                List<Future<RecordMetadata>> sentBefore;
                lock.lock();
                try {
                    long wait;
                    while ((wait = untilDue()) > 0) {
                        groupChanged.awaitNanos(wait);
                    }
                    if (group.isEmpty()) {
                        return;
                    }
                    due = group;
                    group = new ArrayList<>(groupTrades);
                    // The dead letters sent before the group's last trade: acknowledged before its offsets advance past them.
                    sentBefore = List.copyOf(deadLettersInFlight);
                    deadLettersInFlight.clear();
                    committing = true;
                    groupTaken.signalAll();
                }
                finally {
                    lock.unlock();
                }
                awaitDeadLetters(sentBefore);
                commit(due);
                lock.lock();
                try {
                    committing = false;
                    groupTaken.signalAll();
                }
                finally {
                    lock.unlock();
                }
            }
        }
        catch (InterruptedException e) {
            // The task ended with an error, or closed: what was not committed is read again at the restart.
        }
        catch (RuntimeException e) {
            lock.lock();
            try {
                commitFailure = e;
                committing = false;
                groupTaken.signalAll();
            }
            finally {
                lock.unlock();
            }
        }
    }

    /** Nanoseconds until the group is due, 0 when it is (or when the task closes with nothing left), under the lock. */
    private long untilDue()
    {
        if (group.isEmpty()) {
            return closing ? 0 : Long.MAX_VALUE;
        }
        if (closing || group.size() >= groupTrades) {
            return 0;
        }
        return Math.max(0, groupStartedAt + groupMaxNanos - System.nanoTime());
    }

    private void throwCommitFailure()
    {
        RuntimeException failure = commitFailure;
        if (failure != null) {
            throw new IllegalStateException("a commit of the speed layer's group failed: " + failure.getMessage(), failure);
        }
    }

    /** Every dead letter sent so far is in its topic, or the task fails and the records are read again. */
    private void awaitDeadLetters(List<Future<RecordMetadata>> sent)
    {
        for (Future<RecordMetadata> send : sent) {
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
    }

    /** Commits the group, retrying with backoff for as long as PostgreSQL refuses: nothing is dropped. */
    private void commit(List<KafkaTrade> trades)
            throws InterruptedException
    {
        int partition = trades.get(0).partition();
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        while (true) {
            try {
                sink.writeGroup(partition, trades);
                return;
            }
            catch (SQLException e) {
                if (!PostgresErrors.isTransient(e)) {
                    throw new IllegalStateException("cannot write a group of " + trades.size() + " trades of partition " + partition + " to PostgreSQL: "
                            + Failures.oneLine(e), e);
                }
                Duration delay = backoff.next();
                log.warn("Cannot write a group of {} trades of partition {} to PostgreSQL, retry {} in {} ms: {}", trades.size(), partition, backoff.attempts(),
                        delay.toMillis(), e.getMessage());
                TimeUnit.MILLISECONDS.sleep(delay.toMillis());
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
