package io.lambdatrades.batch.audit;

import io.lambdatrades.batch.OffsetCoverage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * The master dataset against the absorb ledger, offset by offset: every offset the ledger says was
 * absorbed is in the dataset exactly once, except those Kafka lost before they were read and those
 * that did not decode, which are listed. The audit's one pass gathers the offsets held as ranges (no
 * sort, no shuffle); only when the rows outnumber the distinct offsets are the doubled ones looked for.
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
     * @param held the offsets the master dataset holds, gathered in the audit's pass over it
     * @param rows how many rows the master dataset holds
     * @param positions the master dataset's kafka_partition and kafka_offset columns, read again only to find doubled offsets
     * @param absorbed the next offset to absorb per partition: every offset below it was absorbed
     */
    static LedgerCheck of(OffsetCoverage held, long rows, Dataset<Row> positions, Map<Integer, Long> absorbed, List<OffsetRange> lost,
            List<OffsetRange> undecodable)
    {
        requireNonNull(held, "held is null");
        requireNonNull(positions, "positions is null");
        OffsetCoverage explained = new OffsetCoverage();
        lost.forEach(range -> explained.add(range.partition(), range.first(), range.end()));
        undecodable.forEach(range -> explained.add(range.partition(), range.first(), range.end()));
        List<OffsetRange> missing = new ArrayList<>();
        List<OffsetRange> unrecorded = new ArrayList<>();
        Map<Integer, List<OffsetCoverage.Range>> ranges = held.value();
        TreeSet<Integer> partitions = new TreeSet<>(absorbed.keySet());
        partitions.addAll(ranges.keySet());
        for (int partition : partitions) {
            long end = absorbed.getOrDefault(partition, 0L);
            for (OffsetCoverage.Range gap : held.missing(partition, 0, end)) {
                explained.missing(partition, gap.first(), gap.end()).forEach(range -> missing.add(new OffsetRange(partition, range.first(), range.end())));
            }
            for (OffsetCoverage.Range range : ranges.getOrDefault(partition, List.of())) {
                if (range.end() > end) {
                    unrecorded.add(new OffsetRange(partition, Math.max(range.first(), end), range.end()));
                }
            }
        }
        List<OffsetRange> doubled = rows > held.count() ? doubled(positions) : List.of();
        return new LedgerCheck(missing, doubled, unrecorded, lost, undecodable);
    }

    /** The offsets held more than once: a grouping of every row, run only when there are some. */
    private static List<OffsetRange> doubled(Dataset<Row> positions)
    {
        OffsetCoverage doubled = new OffsetCoverage();
        positions.groupBy(col("kafka_partition"), col("kafka_offset")).count().where(col("count").gt(1)).collectAsList()
                .forEach(row -> doubled.add(row.getInt(0), row.getLong(1)));
        List<OffsetRange> ranges = new ArrayList<>();
        doubled.value().forEach((partition, covered) -> covered.forEach(range -> ranges.add(new OffsetRange(partition, range.first(), range.end()))));
        return ranges;
    }
}
