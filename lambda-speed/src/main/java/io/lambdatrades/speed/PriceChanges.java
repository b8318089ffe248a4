package io.lambdatrades.speed;

import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Each trade's change against the symbol's trade before it in (ts, partition, offset) order (SPEC 3):
 * {@code price_change = price - previous}, {@code pct_change = 100 * (price - previous) / previous}.
 */
public final class PriceChanges
{
    private PriceChanges() {}

    /** The change of one trade; a symbol's first trade has none. */
    public record Change(double priceChange, double pctChange)
    {
        static Change between(double previous, double price)
        {
            return new Change(price - previous, 100 * (price - previous) / previous);
        }
    }

    /**
     * @param previousPrice for a symbol, the price of the trade just before the earliest of {@code trades}
     *         (the stored state), empty when there is none
     * @return keyed by identity; trades without a previous one are absent
     */
    public static Map<KafkaTrade, Change> of(Collection<KafkaTrade> trades, Function<String, OptionalDouble> previousPrice)
    {
        Map<KafkaTrade, Change> changes = new IdentityHashMap<>();
        Map<String, List<KafkaTrade>> bySymbol = trades.stream().collect(Collectors.groupingBy(trade -> trade.trade().symbol()));
        bySymbol.forEach((symbol, symbolTrades) -> {
            symbolTrades.sort(KafkaTrade.TRADE_ORDER);
            OptionalDouble previous = previousPrice.apply(symbol);
            for (KafkaTrade trade : symbolTrades) {
                double price = trade.trade().price();
                if (previous.isPresent()) {
                    changes.put(trade, Change.between(previous.getAsDouble(), price));
                }
                previous = OptionalDouble.of(price);
            }
        });
        return changes;
    }
}
