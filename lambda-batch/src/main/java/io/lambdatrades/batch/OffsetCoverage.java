package io.lambdatrades.batch;

import org.apache.spark.util.AccumulatorV2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka offsets a Spark job saw, per partition, kept as ranges. A union, not a count: a task
 * Spark retries adds its offsets twice and they still count once, so what the job read can be set
 * exactly against the offsets it asked for.
 */
public final class OffsetCoverage
        extends AccumulatorV2<OffsetCoverage.Position, Map<Integer, List<OffsetCoverage.Range>>>
{
    // Per partition, the first offset of each range to the offset after its last.
    private final TreeMap<Integer, TreeMap<Long, Long>> partitions = new TreeMap<>();

    public void add(int partition, long offset)
    {
        TreeMap<Long, Long> ranges = partitions.computeIfAbsent(partition, ignored -> new TreeMap<>());
        Map.Entry<Long, Long> last = ranges.lastEntry();
        // Records arrive in offset order within a partition: almost every offset extends the last range.
        if (last != null && last.getValue() == offset) {
            ranges.put(last.getKey(), offset + 1);
            return;
        }
        addRange(partition, offset, offset + 1);
    }

    /** Offsets first to end, end excluded. */
    public void add(int partition, long first, long end)
    {
        addRange(partition, first, end);
    }

    @Override
    public void add(Position position)
    {
        add(position.partition(), position.offset());
    }

    /** How many distinct offsets were seen in one partition. */
    public long count(int partition)
    {
        return partitions.getOrDefault(partition, new TreeMap<>()).entrySet().stream().mapToLong(range -> range.getValue() - range.getKey()).sum();
    }

    public long count()
    {
        return partitions.keySet().stream().mapToLong(this::count).sum();
    }

    /** The offsets in [first, end) of a partition that were not seen, as ranges. */
    public List<Range> missing(int partition, long first, long end)
    {
        List<Range> missing = new ArrayList<>();
        long next = first;
        for (Map.Entry<Long, Long> range : partitions.getOrDefault(partition, new TreeMap<>()).entrySet()) {
            if (range.getValue() <= next) {
                continue;
            }
            if (range.getKey() >= end) {
                break;
            }
            if (range.getKey() > next) {
                missing.add(new Range(next, range.getKey()));
            }
            next = range.getValue();
        }
        if (next < end) {
            missing.add(new Range(next, end));
        }
        return missing;
    }

    private void addRange(int partition, long first, long end)
    {
        TreeMap<Long, Long> ranges = partitions.computeIfAbsent(partition, ignored -> new TreeMap<>());
        Map.Entry<Long, Long> before = ranges.floorEntry(first);
        if (before != null && before.getValue() >= first) {
            first = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> after = ranges.ceilingEntry(first);
        while (after != null && after.getKey() <= end) {
            end = Math.max(end, after.getValue());
            ranges.remove(after.getKey());
            after = ranges.ceilingEntry(first);
        }
        ranges.put(first, end);
    }

    @Override
    public boolean isZero()
    {
        return partitions.isEmpty();
    }

    @Override
    public OffsetCoverage copy()
    {
        OffsetCoverage copy = new OffsetCoverage();
        copy.merge(this);
        return copy;
    }

    @Override
    public void reset()
    {
        partitions.clear();
    }

    @Override
    public void merge(AccumulatorV2<Position, Map<Integer, List<Range>>> other)
    {
        other.value().forEach((partition, ranges) -> ranges.forEach(range -> addRange(partition, range.first(), range.end())));
    }

    @Override
    public Map<Integer, List<Range>> value()
    {
        Map<Integer, List<Range>> value = new TreeMap<>();
        partitions.forEach((partition, ranges) -> value.put(partition, ranges.entrySet().stream().map(range -> new Range(range.getKey(), range.getValue())).toList()));
        return value;
    }

    public record Position(int partition, long offset) {}

    /** Offsets from first to end, end excluded. */
    public record Range(long first, long end)
    {
        public long count()
        {
            return end - first;
        }
    }
}
