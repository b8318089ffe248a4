package io.lambdatrades.speed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trades a catch-up run still to publish will own: from the cutoff to the end of the newest
 * queued, running or retrying catch-up. The speed layer leaves them to the batch layer (a first
 * start with days of history, a restart after days down) instead of writing rows the publish deletes
 * (two thirds of a 3-day history's speed writes). Trades before the cutoff are still written: they are
 * the late trades that status counts. Without a catch-up pending the range is empty.
 *
 * @param fromMs the cutoff
 * @param untilMs the end of the newest pending catch-up's period, or the cutoff
 */
record CatchUpRange(long fromMs, long untilMs)
{
    private static final String PENDING = """
            SELECT (SELECT cutoff_ts FROM lambda.cutoff),
                   (SELECT max(period_end) FROM lambda.batch_runs WHERE trigger = 'catch-up' AND state IN ('queued', 'running', 'retrying'))""";

    /** Read in the writer's transaction, so that a publish that commits first is seen. */
    static CatchUpRange read(Connection connection)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(PENDING); ResultSet row = statement.executeQuery()) {
            row.next();
            long from = millis(row.getTimestamp(1), 0);
            return new CatchUpRange(from, Math.max(from, millis(row.getTimestamp(2), from)));
        }
    }

    boolean contains(KafkaTrade trade)
    {
        long ts = trade.trade().ts();
        return ts >= fromMs && ts < untilMs;
    }

    /** The trades outside the range: what the speed layer writes. */
    List<KafkaTrade> outside(Collection<KafkaTrade> trades)
    {
        return trades.stream().filter(trade -> !contains(trade)).toList();
    }

    /**
     * For each symbol, its last trade inside the range: stored too (pruned by the publish), so that the
     * first trade after the range has its change against the trade before it.
     */
    List<KafkaTrade> lastInsideBySymbol(Collection<KafkaTrade> trades)
    {
        Map<String, KafkaTrade> last = trades.stream().filter(this::contains).collect(Collectors.toMap(
                trade -> trade.trade().symbol(), Function.identity(), (a, b) -> KafkaTrade.TRADE_ORDER.compare(a, b) >= 0 ? a : b));
        return List.copyOf(last.values());
    }

    private static long millis(Timestamp timestamp, long otherwise)
    {
        return timestamp == null ? otherwise : timestamp.getTime();
    }
}
