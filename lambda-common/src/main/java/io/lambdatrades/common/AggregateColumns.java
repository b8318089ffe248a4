package io.lambdatrades.common;

import java.util.List;
import java.util.stream.Stream;

/**
 * The columns of one bucket's aggregate, named once for every statement that writes or reads them: the
 * speed layer's minute merge, the publish's batch tables and late minutes, the serving queries and the
 * audit. A partial holds what the combine rule of SPEC 3 needs to merge any two parts of a bucket: open
 * and close with the (ts, partition, offset) key of the trade each came from.
 */
public final class AggregateColumns
{
    /** What the merged views answer, in this order: prices, then sums. */
    public static final List<String> FIGURES = List.of("open", "high", "low", "close", "volume", "trades", "notional");
    /** The keys of the first trade (open's) and the last (close's). */
    public static final List<String> KEYS = List.of("first_ts", "first_partition", "first_offset", "last_ts", "last_partition", "last_offset");
    /** A partial aggregate: the figures, then the keys. */
    public static final List<String> PARTIAL = Stream.concat(FIGURES.stream(), KEYS.stream()).toList();

    private AggregateColumns() {}

    /** The columns as a statement lists them. */
    public static String sql(List<String> columns)
    {
        return String.join(", ", columns);
    }
}
