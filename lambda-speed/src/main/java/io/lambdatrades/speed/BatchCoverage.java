package io.lambdatrades.speed;

import io.lambdatrades.common.BatchRunState;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The trades the batch layer holds, or will hold without the speed layer's help, as a writer's
 * transaction sees them:
 * <ul>
 * <li>published: before the cutoff and below the offsets of the last publish ({@code published_offsets}).
 * The speed layer keeps such a trade out of {@code speed_minute}, where it would count as late.</li>
 * <li>left to a catch-up: from the cutoff to the end of the newest queued, running or retrying catch-up.
 * The speed layer leaves them to the batch layer (a first start with days of history, a restart after
 * days down) instead of writing rows the publish deletes (two thirds of a 3-day history's speed writes).</li>
 * </ul>
 * Any other trade before the cutoff is late: written, and counted by status until the next publish.
 *
 * @param cutoffMs the cutoff
 * @param catchUpUntilMs the end of the newest pending catch-up's period, or the cutoff
 * @param publishedOffsets per partition, the first offset the published views do not hold
 */
record BatchCoverage(long cutoffMs, long catchUpUntilMs, Map<Integer, Long> publishedOffsets)
{
    // The lock is taken before any write of the writer's transaction: a publish (which takes SHARE ROW
    // EXCLUSIVE) is then wholly before this read or wholly after the commit, never between, so the cutoff
    // read here stays true. Two statements, one result, sent in one round trip after the writer's own.
    static final String LOCK_AND_READ = """
            LOCK TABLE lambda.speed_minute IN ROW EXCLUSIVE MODE;
            SELECT (SELECT cutoff_ts FROM lambda.cutoff),
                   (SELECT max(period_end) FROM lambda.batch_runs WHERE trigger = 'catch-up' AND state IN %s),
                   (SELECT array_agg(kafka_partition ORDER BY kafka_partition) FROM lambda.published_offsets),
                   (SELECT array_agg(next_offset ORDER BY kafka_partition) FROM lambda.published_offsets)""".formatted(BatchRunState.UNFINISHED_SQL);

    BatchCoverage
    {
        publishedOffsets = Map.copyOf(requireNonNull(publishedOffsets, "publishedOffsets is null"));
    }

    /**
     * Read in the writer's transaction, after locking out a publish until its commit: the next result of
     * {@code statement}, which ran {@link #LOCK_AND_READ} after statements of its own.
     */
    static BatchCoverage readNext(Statement statement)
            throws SQLException
    {
        while (!statement.getMoreResults()) {
            if (statement.getUpdateCount() == -1) {
                throw new SQLException("the speed commit's coverage read returned no row");
            }
        }
        try (ResultSet row = statement.getResultSet()) {
            row.next();
            long from = millis(row.getTimestamp(1), 0);
            long until = Math.max(from, millis(row.getTimestamp(2), from));
            Map<Integer, Long> published = new HashMap<>();
            Array partitions = row.getArray(3);
            if (partitions != null) {
                Integer[] partition = (Integer[]) partitions.getArray();
                Long[] nextOffset = (Long[]) row.getArray(4).getArray();
                for (int i = 0; i < partition.length; i++) {
                    published.put(partition[i], nextOffset[i]);
                }
            }
            return new BatchCoverage(from, until, published);
        }
    }

    boolean leftToCatchUp(KafkaTrade trade)
    {
        long ts = trade.trade().ts();
        return ts >= cutoffMs && ts < catchUpUntilMs;
    }

    boolean published(KafkaTrade trade)
    {
        return trade.trade().ts() < cutoffMs && trade.offset() < publishedOffsets.getOrDefault(trade.partition(), 0L);
    }

    /** The trades outside a pending catch-up: what the speed layer writes. */
    List<KafkaTrade> outsideCatchUp(Collection<KafkaTrade> trades)
    {
        return trades.stream().filter(trade -> !leftToCatchUp(trade)).toList();
    }

    /** The trades the published views do not hold: what {@code speed_minute} adds up. */
    List<KafkaTrade> unpublished(Collection<KafkaTrade> trades)
    {
        return trades.stream().filter(trade -> !published(trade)).toList();
    }

    /**
     * For each symbol, its last trade left to the catch-up: stored too (pruned by the publish), so that
     * the first trade after the range has its change against the trade before it.
     */
    List<KafkaTrade> lastLeftToCatchUpBySymbol(Collection<KafkaTrade> trades)
    {
        Map<String, KafkaTrade> last = trades.stream().filter(this::leftToCatchUp).collect(Collectors.toMap(
                trade -> trade.trade().symbol(), Function.identity(), (a, b) -> KafkaTrade.TRADE_ORDER.compare(a, b) >= 0 ? a : b));
        return List.copyOf(last.values());
    }

    private static long millis(Timestamp timestamp, long otherwise)
    {
        return timestamp == null ? otherwise : timestamp.getTime();
    }
}
