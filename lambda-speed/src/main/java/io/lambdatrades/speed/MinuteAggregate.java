package io.lambdatrades.speed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The partial aggregate of one (symbol, minute) over some of its trades (SPEC 3), with the keys of
 * its first and last trade so that two partials of one bucket merge exactly.
 */
public record MinuteAggregate(
        String symbol,
        long bucket,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long trades,
        double notional,
        KafkaTrade first,
        KafkaTrade last)
{
    private static final long MINUTE = 60_000;

    public MinuteAggregate
    {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(first, "first is null");
        requireNonNull(last, "last is null");
    }

    public static List<MinuteAggregate> of(Collection<KafkaTrade> trades)
    {
        Map<String, MinuteAggregate> aggregates = new TreeMap<>();
        for (KafkaTrade trade : trades) {
            long bucket = Math.floorDiv(trade.trade().ts(), MINUTE) * MINUTE;
            MinuteAggregate single = single(trade, bucket);
            aggregates.merge(trade.trade().symbol() + '\u0000' + bucket, single, MinuteAggregate::merge);
        }
        return new ArrayList<>(aggregates.values());
    }

    private static MinuteAggregate single(KafkaTrade trade, long bucket)
    {
        double price = trade.trade().price();
        double volume = trade.trade().volume();
        return new MinuteAggregate(trade.trade().symbol(), bucket, price, price, price, price, volume, 1, price * volume, trade, trade);
    }

    public MinuteAggregate merge(MinuteAggregate other)
    {
        boolean thisFirst = KafkaTrade.TRADE_ORDER.compare(first, other.first) <= 0;
        boolean thisLast = KafkaTrade.TRADE_ORDER.compare(last, other.last) >= 0;
        return new MinuteAggregate(symbol, bucket,
                thisFirst ? open : other.open,
                Math.max(high, other.high),
                Math.min(low, other.low),
                thisLast ? close : other.close,
                volume + other.volume,
                trades + other.trades,
                notional + other.notional,
                thisFirst ? first : other.first,
                thisLast ? last : other.last);
    }
}
