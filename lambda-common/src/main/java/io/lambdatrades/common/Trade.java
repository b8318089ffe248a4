package io.lambdatrades.common;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One trade, the unit of the whole system (SPEC 2).
 *
 * @param ts trade time, epoch milliseconds UTC
 * @param ingestTs when the ingester received the trade, epoch milliseconds UTC
 */
public record Trade(
        String symbol,
        double price,
        double volume,
        long ts,
        List<String> conditions,
        String source,
        long ingestTs)
{
    public Trade
    {
        requireNonNull(symbol, "symbol is null");
        conditions = List.copyOf(requireNonNull(conditions, "conditions is null"));
        requireNonNull(source, "source is null");
    }

    /** The part of the symbol before the first ':', or "" when it has none (US stocks). */
    public String exchange()
    {
        int colon = symbol.indexOf(':');
        return colon < 0 ? "" : symbol.substring(0, colon);
    }

    /** The part of the symbol after the first ':', or the whole symbol when it has none. */
    public String instrument()
    {
        int colon = symbol.indexOf(':');
        return colon < 0 ? symbol : symbol.substring(colon + 1);
    }
}
