package io.lambdatrades.batch;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Computes every batch view of some trades and writes them: the trades are read once, into the minute view. */
public final class ViewBuilder
{
    private final ViewStore store;

    public ViewBuilder(ViewStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    public void build(Dataset<Row> trades, Instant cutoff)
            throws IOException, InterruptedException
    {
        Dataset<Row> minute = BatchViews.minute(trades, cutoff).persist();
        Dataset<Row> daily = BatchViews.daily(minute).persist();
        try {
            // Cached before the views are written concurrently: each write would otherwise read the trades again.
            minute.count();
            Map<ViewStore.View, Dataset<Row>> views = new EnumMap<>(ViewStore.View.class);
            views.put(ViewStore.View.MINUTE, minute);
            views.put(ViewStore.View.HOURLY, BatchViews.hourly(minute));
            views.put(ViewStore.View.DAILY, daily);
            views.put(ViewStore.View.EXCHANGE_DAILY, BatchViews.exchangeDaily(daily));
            store.write(views);
        }
        finally {
            daily.unpersist();
            minute.unpersist();
        }
    }
}
