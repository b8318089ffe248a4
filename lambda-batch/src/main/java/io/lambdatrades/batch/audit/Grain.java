package io.lambdatrades.batch.audit;

import java.util.Locale;

/** The buckets of SPEC 3, each with the serving view that answers it. */
public enum Grain
{
    MINUTE(60_000L, "lambda.serving_minute"),
    HOUR(3_600_000L, "lambda.serving_hourly"),
    DAY(86_400_000L, "lambda.serving_daily");

    private final long millis;
    private final String view;

    Grain(long millis, String view)
    {
        this.millis = millis;
        this.view = view;
    }

    public long millis()
    {
        return millis;
    }

    String view()
    {
        return view;
    }

    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
