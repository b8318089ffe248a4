package io.lambdatrades.common;

import io.lambdatrades.common.config.KafkaConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * Creates the trade and dead-letter topics when missing, then waits until every partition has a
 * leader: an idempotent producer that races a just-created topic can loop on sequence errors.
 */
public final class TradeTopics
{
    private final String tradesTopic;
    private final String deadLetterTopic;
    private final int partitions;
    private final long retentionMillis;

    public TradeTopics(String tradesTopic, String deadLetterTopic, int partitions, long retentionMillis)
    {
        this.tradesTopic = requireNonNull(tradesTopic, "tradesTopic is null");
        this.deadLetterTopic = requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        this.partitions = partitions;
        this.retentionMillis = retentionMillis;
    }

    /** The topics as configured. */
    public static TradeTopics of(KafkaConfig kafka)
    {
        return new TradeTopics(kafka.topic(), kafka.deadLetterTopic(), kafka.partitions(), kafka.retention().toMillis());
    }

    /** {@link #ensure(Admin, Duration)} through an admin client of its own. */
    public void ensure(String bootstrapServers, Duration timeout)
            throws InterruptedException
    {
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        try {
            ensure(admin, timeout);
        }
        catch (KafkaUnavailableException e) {
            throw new KafkaUnavailableException("Kafka at " + bootstrapServers + ": " + e.getMessage(), e);
        }
        finally {
            // Calls still pending on a dead broker would hold a plain close until their own timeout.
            admin.close(Duration.ofSeconds(1));
        }
    }

    public void ensure(Admin admin, Duration timeout)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String topic : List.of(tradesTopic, deadLetterTopic)) {
            create(admin, topic, remaining(deadline), timeout);
        }
        for (String topic : List.of(tradesTopic, deadLetterTopic)) {
            awaitLeaders(admin, topic, deadline);
        }
    }

    private void create(Admin admin, String topic, long timeoutMillis, Duration timeout)
            throws InterruptedException
    {
        NewTopic newTopic = new NewTopic(topic, partitions, (short) 1)
                .configs(Map.of("retention.ms", Long.toString(retentionMillis)));
        try {
            admin.createTopics(List.of(newTopic)).all().get(timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaUnavailableException("cannot create topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
            }
        }
        catch (TimeoutException e) {
            throw new KafkaUnavailableException("cannot create topic '" + topic + "': no answer within " + timeout.toSeconds() + " s", e);
        }
    }

    private static void awaitLeaders(Admin admin, String topic, long deadline)
            throws InterruptedException
    {
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(remaining(deadline), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().stream().map(TopicPartitionInfo::leader).allMatch(leader -> leader != null && !leader.isEmpty())) {
                    return;
                }
            }
            catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new KafkaUnavailableException("cannot describe topic '" + topic + "': " + e.getCause().getMessage(), e.getCause());
                }
            }
            catch (TimeoutException e) {
                throw new KafkaUnavailableException("topic '" + topic + "' has partitions without a leader", e);
            }
            if (remaining(deadline) <= 0) {
                throw new KafkaUnavailableException("topic '" + topic + "' has partitions without a leader", null);
            }
            Thread.sleep(50);
        }
    }

    private static long remaining(long deadline)
    {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
