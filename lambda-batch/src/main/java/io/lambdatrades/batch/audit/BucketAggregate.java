package io.lambdatrades.batch.audit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** One (grain, symbol, bucket) aggregate of SPEC 3, as the views answer it or as the trades give it. */
public record BucketAggregate(Grain grain, String symbol, long bucketMs, double open, double high, double low, double close, double volume, long trades,
        double notional)
{
    public BucketAggregate
    {
        requireNonNull(grain, "grain is null");
        requireNonNull(symbol, "symbol is null");
    }

    public Key key()
    {
        return new Key(grain, symbol, bucketMs);
    }

    /** How the views' aggregate differs from the one the trades give, field by field; empty when equal. */
    List<String> differencesFrom(BucketAggregate trades)
    {
        List<String> differences = new ArrayList<>();
        if (this.trades != trades.trades) {
            differences.add("trades " + this.trades + " in the views, " + trades.trades + " in the trades");
        }
        compareExactly(differences, "open", open, trades.open);
        compareExactly(differences, "high", high, trades.high);
        compareExactly(differences, "low", low, trades.low);
        compareExactly(differences, "close", close, trades.close);
        compareSum(differences, "volume", volume, trades.volume);
        compareSum(differences, "notional", notional, trades.notional);
        return differences;
    }

    private static void compareExactly(List<String> differences, String field, double views, double trades)
    {
        if (Double.compare(views, trades) != 0) {
            differences.add(field + " " + views + " in the views, " + trades + " in the trades");
        }
    }

    private static void compareSum(List<String> differences, String field, double views, double trades)
    {
        if (!SumTolerance.equal(views, trades)) {
            differences.add(field + " " + views + " in the views, " + trades + " in the trades");
        }
    }

    public record Key(Grain grain, String symbol, long bucketMs)
            implements Serializable {}
}
