package io.lambdatrades.batch.audit;

import io.lambdatrades.batch.OffsetCoverage;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * The audit's one pass over the trades, each Spark partition into its own buckets: SPEC 3's aggregates
 * of the trades the views hold (before the cutoff every trade, at or after it those below the speed
 * layer's offsets), and for the ledger check of an audit of every day the offsets of the rows read
 * from the master dataset.
 * One pass with no shuffle: an exact open and close in Spark's own aggregation sorts every row.
 */
final class TradePass
        implements FlatMapFunction<Iterator<Row>, TradeBuckets>
{
    private static final long serialVersionUID = 1L;

    static final String FROM_MASTER = "from_master";
    /** The columns the pass reads, in this order; the last says whether the row came from the master dataset. */
    static final Column[] COLUMNS = {col("symbol"), col("price"), col("volume"), col("ts"), col("kafka_partition"), col("kafka_offset"),
            col(FROM_MASTER)};

    private final AuditScope scope;
    private final long cutoffMs;
    private final TreeMap<Integer, Long> speedOffsets;
    // Only an audit of every day checks the ledger: a day's audit gathers no offsets for it.
    private final boolean gatherLedger;
    private final OffsetCoverage masterOffsets;
    private final LongAccumulator masterRows;

    TradePass(AuditScope scope, Instant cutoff, Map<Integer, Long> speedOffsets, OffsetCoverage masterOffsets, LongAccumulator masterRows)
    {
        this.scope = requireNonNull(scope, "scope is null");
        this.cutoffMs = cutoff.toEpochMilli();
        this.speedOffsets = new TreeMap<>(speedOffsets);
        this.gatherLedger = scope.everyDayWithData();
        this.masterOffsets = requireNonNull(masterOffsets, "masterOffsets is null");
        this.masterRows = requireNonNull(masterRows, "masterRows is null");
    }

    @Override
    public Iterator<TradeBuckets> call(Iterator<Row> rows)
    {
        TradeBuckets buckets = new TradeBuckets(scope.grains());
        while (rows.hasNext()) {
            Row row = rows.next();
            long ts = row.getLong(3);
            int partition = row.getInt(4);
            long offset = row.getLong(5);
            if (gatherLedger && row.getBoolean(6)) {
                masterOffsets.add(partition, offset);
                masterRows.add(1);
            }
            if (inViews(ts, partition, offset) && scope.covers(ts)) {
                buckets.add(row.getString(0), row.getDouble(1), row.getDouble(2), ts, partition, offset);
            }
        }
        return List.of(buckets).iterator();
    }

    private boolean inViews(long ts, int partition, long offset)
    {
        return ts < cutoffMs || offset < speedOffsets.getOrDefault(partition, 0L);
    }
}
