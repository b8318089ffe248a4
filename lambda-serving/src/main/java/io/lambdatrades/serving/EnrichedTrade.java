package io.lambdatrades.serving;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A trade as the speed layer stored it, with the seed's figures against the symbol's previous trade.
 *
 * @param priceChange null for a symbol's first trade
 * @param ingestTsMs when the ingester received it: the dashboard measures the speed layer's delay from there
 */
public record EnrichedTrade(
        String symbol,
        double price,
        double volume,
        String ts,
        long tsMs,
        List<String> conditions,
        Double priceChange,
        Double pctChange,
        int partition,
        long offset,
        long ingestTsMs)
{
    public EnrichedTrade
    {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(ts, "ts is null");
        conditions = List.copyOf(requireNonNull(conditions, "conditions is null"));
    }
}
