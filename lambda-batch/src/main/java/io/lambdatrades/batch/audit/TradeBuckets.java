package io.lambdatrades.batch.audit;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * SPEC 3's aggregates of every grain, built straight from trades in one pass and merged across Spark's
 * partitions. Written here on purpose apart from the batch views' and the speed layer's code: the
 * audit must not share a mistake with what it checks. A bucket's open and close are the prices of
 * its first and last trade in (ts, kafka_partition, kafka_offset) order.
 */
final class TradeBuckets
        implements Serializable
{
    private static final long serialVersionUID = 1L;

    private final List<Grain> grains;
    private final Map<BucketAggregate.Key, Bucket> buckets = new HashMap<>();

    TradeBuckets(List<Grain> grains)
    {
        this.grains = List.copyOf(requireNonNull(grains, "grains is null"));
    }

    void add(String symbol, double price, double volume, long ts, int partition, long offset)
    {
        for (Grain grain : grains) {
            BucketAggregate.Key key = new BucketAggregate.Key(grain, symbol, Math.floorDiv(ts, grain.millis()) * grain.millis());
            Bucket bucket = buckets.get(key);
            if (bucket == null) {
                buckets.put(key, new Bucket(price, volume, ts, partition, offset));
            }
            else {
                bucket.addTrade(price, volume, ts, partition, offset);
            }
        }
    }

    /** Adds another partition's buckets to these. */
    TradeBuckets merge(TradeBuckets other)
    {
        other.buckets.forEach((key, bucket) -> buckets.merge(key, bucket, Bucket::add));
        return this;
    }

    List<BucketAggregate> aggregates()
    {
        List<BucketAggregate> aggregates = new ArrayList<>(buckets.size());
        buckets.forEach((key, bucket) -> aggregates.add(new BucketAggregate(key.grain(), key.symbol(), key.bucketMs(), bucket.firstPrice, bucket.high,
                bucket.low, bucket.lastPrice, bucket.volume, bucket.trades, bucket.notional)));
        return aggregates;
    }

    /**
     * Each symbol's row of the symbol list: its last day against the day before it, and the closes of
     * its hours after 24 hours before its last trade. Needs the day and hour grains.
     */
    List<SymbolFigures> symbolFigures()
    {
        Map<String, NavigableMap<Long, Bucket>> hours = bySymbol(Grain.HOUR);
        List<SymbolFigures> figures = new ArrayList<>();
        bySymbol(Grain.DAY).forEach((symbol, days) -> {
            Map.Entry<Long, Bucket> last = days.lastEntry();
            Bucket day = last.getValue();
            Map.Entry<Long, Bucket> before = days.lowerEntry(last.getKey());
            OptionalDouble previousClose = before == null ? OptionalDouble.empty() : OptionalDouble.of(before.getValue().lastPrice);
            double price = day.lastPrice;
            List<Double> closes = hours.getOrDefault(symbol, new TreeMap<>()).tailMap(day.lastTs - Grain.DAY.millis(), false).values().stream()
                    .map(hour -> hour.lastPrice).toList();
            figures.add(new SymbolFigures(symbol, LocalDate.ofEpochDay(Math.floorDiv(last.getKey(), Grain.DAY.millis())), price, previousClose,
                    previousClose.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(price - previousClose.getAsDouble()),
                    previousClose.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(100 * (price - previousClose.getAsDouble()) / previousClose.getAsDouble()),
                    day.firstPrice, day.high, day.low, day.volume, day.trades, day.volume == 0 ? OptionalDouble.empty() : OptionalDouble.of(day.notional / day.volume),
                    Instant.ofEpochMilli(day.lastTs), closes));
        });
        return figures;
    }

    private Map<String, NavigableMap<Long, Bucket>> bySymbol(Grain grain)
    {
        Map<String, NavigableMap<Long, Bucket>> bySymbol = new HashMap<>();
        buckets.forEach((key, bucket) -> {
            if (key.grain() == grain) {
                bySymbol.computeIfAbsent(key.symbol(), symbol -> new TreeMap<>()).put(key.bucketMs(), bucket);
            }
        });
        return bySymbol;
    }

    /** One bucket so far; a single trade is a bucket of one. */
    private static final class Bucket
            implements Serializable
    {
        private static final long serialVersionUID = 1L;

        private long firstTs;
        private int firstPartition;
        private long firstOffset;
        private double firstPrice;
        private long lastTs;
        private int lastPartition;
        private long lastOffset;
        private double lastPrice;
        private double high;
        private double low;
        private double volume;
        private long trades;
        private double notional;

        Bucket(double price, double volume, long ts, int partition, long offset)
        {
            firstTs = ts;
            firstPartition = partition;
            firstOffset = offset;
            firstPrice = price;
            lastTs = ts;
            lastPartition = partition;
            lastOffset = offset;
            lastPrice = price;
            high = price;
            low = price;
            this.volume = volume;
            trades = 1;
            notional = price * volume;
        }

        void addTrade(double price, double volume, long ts, int partition, long offset)
        {
            takeFirst(ts, partition, offset, price);
            takeLast(ts, partition, offset, price);
            high = Math.max(high, price);
            low = Math.min(low, price);
            this.volume += volume;
            trades++;
            notional += price * volume;
        }

        Bucket add(Bucket other)
        {
            takeFirst(other.firstTs, other.firstPartition, other.firstOffset, other.firstPrice);
            takeLast(other.lastTs, other.lastPartition, other.lastOffset, other.lastPrice);
            high = Math.max(high, other.high);
            low = Math.min(low, other.low);
            volume += other.volume;
            trades += other.trades;
            notional += other.notional;
            return this;
        }

        private void takeFirst(long ts, int partition, long offset, double price)
        {
            if (compare(ts, partition, offset, firstTs, firstPartition, firstOffset) < 0) {
                firstTs = ts;
                firstPartition = partition;
                firstOffset = offset;
                firstPrice = price;
            }
        }

        private void takeLast(long ts, int partition, long offset, double price)
        {
            if (compare(ts, partition, offset, lastTs, lastPartition, lastOffset) > 0) {
                lastTs = ts;
                lastPartition = partition;
                lastOffset = offset;
                lastPrice = price;
            }
        }

        private static int compare(long ts, int partition, long offset, long otherTs, int otherPartition, long otherOffset)
        {
            int byTs = Long.compare(ts, otherTs);
            if (byTs != 0) {
                return byTs;
            }
            int byPartition = Integer.compare(partition, otherPartition);
            return byPartition != 0 ? byPartition : Long.compare(offset, otherOffset);
        }
    }
}
