package io.lambdatrades.speed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The partial aggregate of one (symbol, bucket) over some of its trades (SPEC 3), with the keys of
 * its first and last trade so that two partials of one bucket merge exactly. The bucket is a minute,
 * or an hour or a day once rolled up.
 */
public record PartialAggregate(
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

    public PartialAggregate
    {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(first, "first is null");
        requireNonNull(last, "last is null");
    }

    /** The trades' partials by (symbol, minute), ordered by symbol and minute. */
    public static List<PartialAggregate> of(Collection<KafkaTrade> trades)
    {
        Map<String, PartialAggregate> aggregates = new TreeMap<>();
        for (KafkaTrade trade : trades) {
            long bucket = Math.floorDiv(trade.trade().ts(), MINUTE) * MINUTE;
            PartialAggregate single = single(trade, bucket);
            aggregates.merge(trade.trade().symbol() + '\u0000' + bucket, single, PartialAggregate::merge);
        }
        return new ArrayList<>(aggregates.values());
    }

    private static PartialAggregate single(KafkaTrade trade, long bucket)
    {
        double price = trade.trade().price();
        double volume = trade.trade().volume();
        return new PartialAggregate(trade.trade().symbol(), bucket, price, price, price, price, volume, 1, price * volume, trade, trade);
    }

    /**
     * The partials rolled up to buckets of {@code size} ms from the epoch (an hour, a UTC day), ordered
     * by symbol and bucket: writers that upsert them in this order never wait on each other in a cycle.
     */
    public static List<PartialAggregate> rollUp(Collection<PartialAggregate> partials, long size)
    {
        Map<String, PartialAggregate> rolledUp = new TreeMap<>();
        for (PartialAggregate partial : partials) {
            long bucket = Math.floorDiv(partial.bucket, size) * size;
            rolledUp.merge(partial.symbol + '\u0000' + bucket, partial.inBucket(bucket), PartialAggregate::merge);
        }
        return new ArrayList<>(rolledUp.values());
    }

    private PartialAggregate inBucket(long other)
    {
        return new PartialAggregate(symbol, other, open, high, low, close, volume, trades, notional, first, last);
    }

    public PartialAggregate merge(PartialAggregate other)
    {
        boolean thisFirst = KafkaTrade.TRADE_ORDER.compare(first, other.first) <= 0;
        boolean thisLast = KafkaTrade.TRADE_ORDER.compare(last, other.last) >= 0;
        return new PartialAggregate(symbol, bucket,
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
