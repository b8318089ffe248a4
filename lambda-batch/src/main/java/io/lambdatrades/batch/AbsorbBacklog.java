package io.lambdatrades.batch;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What an absorb has ahead of it, read from Kafka's offsets and the ledger without Spark: where each
 * partition starts, how many records there are, and the offsets Kafka deleted before they were absorbed.
 *
 * @param start the first offset to absorb per partition
 * @param expired offsets gone from Kafka that the master dataset never absorbed
 */
public record AbsorbBacklog(TopicOffsets offsets, Map<Integer, Long> start, List<ExpiredOffsets> expired)
{
    public AbsorbBacklog
    {
        requireNonNull(offsets, "offsets is null");
        start = Map.copyOf(start);
        expired = List.copyOf(expired);
    }

    public static AbsorbBacklog read(AbsorbLedger ledger, String bootstrapServers, String topic)
            throws SQLException
    {
        TopicOffsets offsets = TopicOffsets.read(bootstrapServers, topic);
        Map<Integer, Long> absorbed = ledger.nextOffsets(topic);
        Map<Integer, Long> start = new HashMap<>();
        List<ExpiredOffsets> expired = new ArrayList<>();
        new TreeMap<>(offsets.end()).keySet().forEach(partition -> {
            long first = offsets.beginning().get(partition);
            // A partition never absorbed starts at offset 0: anything before the log's start is gone.
            long next = absorbed.getOrDefault(partition, 0L);
            if (next < first) {
                expired.add(new ExpiredOffsets(topic, partition, next, first - 1));
            }
            start.put(partition, Math.max(next, first));
        });
        return new AbsorbBacklog(offsets, start, expired);
    }

    public long records()
    {
        return offsets.end().entrySet().stream().mapToLong(entry -> entry.getValue() - start.get(entry.getKey())).sum();
    }

    public long expiredRecords()
    {
        return expired.stream().mapToLong(ExpiredOffsets::count).sum();
    }

    /** Offsets first to last, inclusive, of one partition. */
    public record ExpiredOffsets(String topic, int partition, long first, long last)
    {
        public ExpiredOffsets
        {
            requireNonNull(topic, "topic is null");
        }

        public long count()
        {
            return last - first + 1;
        }
    }
}
