package io.lambdatrades.batch.audit;

import io.lambdatrades.batch.OffsetCoverage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.max;

/**
 * The master dataset against the absorb ledger, offset by offset: every offset the ledger says was
 * absorbed is in the dataset exactly once, except those Kafka lost before they were read and those
 * that did not decode, which are listed. Only the breaks in each partition's run of offsets are
 * brought to the driver, so a clean dataset costs one sorted pass.
 *
 * @param missing absorbed offsets the dataset does not hold and nothing explains
 * @param doubled offsets the dataset holds more than once
 * @param unrecorded offsets the dataset holds past where the ledger says the absorbs reached
 * @param lost offsets Kafka deleted before the absorb read them (retention losses)
 * @param undecodable offsets the absorb read that were no trade (the speed layer sends them to the dead-letter topic)
 */
public record LedgerCheck(List<OffsetRange> missing, List<OffsetRange> doubled, List<OffsetRange> unrecorded, List<OffsetRange> lost,
        List<OffsetRange> undecodable)
{
    public LedgerCheck
    {
        missing = List.copyOf(missing);
        doubled = List.copyOf(doubled);
        unrecorded = List.copyOf(unrecorded);
        lost = List.copyOf(lost);
        undecodable = List.copyOf(undecodable);
    }

    public boolean clean()
    {
        return missing.isEmpty() && doubled.isEmpty() && unrecorded.isEmpty();
    }

    /**
     * @param positions the master dataset's kafka_partition and kafka_offset columns
     * @param absorbed the next offset to absorb per partition: every offset below it was absorbed
     */
    static LedgerCheck of(Dataset<Row> positions, Map<Integer, Long> absorbed, List<OffsetRange> lost, List<OffsetRange> undecodable)
    {
        requireNonNull(positions, "positions is null");
        List<Row> breaks = positions
                .withColumn("previous", lag(col("kafka_offset"), 1).over(Window.partitionBy(col("kafka_partition")).orderBy(col("kafka_offset"))))
                .where(col("previous").isNull().or(col("kafka_offset").notEqual(col("previous").plus(1))))
                .select("kafka_partition", "kafka_offset", "previous")
                .collectAsList();
        Map<Integer, Long> last = new TreeMap<>();
        positions.groupBy(col("kafka_partition")).agg(max(col("kafka_offset"))).collectAsList()
                .forEach(row -> last.put(row.getInt(0), row.getLong(1)));

        OffsetCoverage explained = new OffsetCoverage();
        lost.forEach(range -> explained.add(range.partition(), range.first(), range.end()));
        undecodable.forEach(range -> explained.add(range.partition(), range.first(), range.end()));
        OffsetCoverage doubled = new OffsetCoverage();
        List<OffsetRange> missing = new ArrayList<>();
        List<OffsetRange> unrecorded = new ArrayList<>();
        TreeSet<Integer> partitions = new TreeSet<>(absorbed.keySet());
        partitions.addAll(last.keySet());
        for (int partition : partitions) {
            long end = absorbed.getOrDefault(partition, 0L);
            List<OffsetRange> gaps = new ArrayList<>();
            breaks.stream().filter(row -> row.getInt(0) == partition).sorted(Comparator.comparingLong(row -> row.getLong(1))).forEach(row -> {
                long offset = row.getLong(1);
                if (row.isNullAt(2)) {
                    addGap(gaps, partition, 0, Math.min(offset, end));
                }
                else if (offset == row.getLong(2)) {
                    doubled.add(partition, offset);
                }
                else {
                    addGap(gaps, partition, row.getLong(2) + 1, Math.min(offset, end));
                }
            });
            long next = last.containsKey(partition) ? last.get(partition) + 1 : 0;
            addGap(gaps, partition, next, end);
            if (next > end) {
                unrecorded.add(new OffsetRange(partition, Math.max(end, 0), next));
            }
            for (OffsetRange gap : gaps) {
                explained.missing(partition, gap.first(), gap.end()).forEach(range -> missing.add(new OffsetRange(partition, range.first(), range.end())));
            }
        }
        List<OffsetRange> twice = new ArrayList<>();
        doubled.value().forEach((partition, ranges) -> ranges.forEach(range -> twice.add(new OffsetRange(partition, range.first(), range.end()))));
        return new LedgerCheck(missing, twice, unrecorded, lost, undecodable);
    }

    private static void addGap(List<OffsetRange> gaps, int partition, long first, long end)
    {
        if (first < end) {
            gaps.add(new OffsetRange(partition, first, end));
        }
    }
}
