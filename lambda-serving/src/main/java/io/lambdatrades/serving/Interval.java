package io.lambdatrades.serving;

import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The bucket sizes of the merged views, with the widest range one request may ask of each. */
public enum Interval
{
    MINUTE("1m", "serving_minute", Duration.ofMinutes(1), Duration.ofDays(7)),
    HOUR("1h", "serving_hourly", Duration.ofHours(1), Duration.ofDays(366)),
    DAY("1d", "serving_daily", Duration.ofDays(1), Duration.ofDays(366 * 20));

    private final String label;
    private final String view;
    private final Duration bucket;
    private final Duration maxRange;

    Interval(String label, String view, Duration bucket, Duration maxRange)
    {
        this.label = label;
        this.view = view;
        this.bucket = bucket;
        this.maxRange = maxRange;
    }

    public static Interval parse(String text)
    {
        return Arrays.stream(values())
                .filter(interval -> interval.label.equals(text))
                .findFirst()
                .orElseThrow(() -> ApiException.badRequest("interval", "must be one of " + labels() + ", not '" + text + "'"));
    }

    public static String labels()
    {
        return Arrays.stream(values()).map(Interval::label).collect(Collectors.joining(", "));
    }

    public String label()
    {
        return label;
    }

    /** The PostgreSQL view (schema lambda) that answers it. */
    public String view()
    {
        return view;
    }

    public Duration bucket()
    {
        return bucket;
    }

    public Duration maxRange()
    {
        return maxRange;
    }
}
