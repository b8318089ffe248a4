package io.lambdatrades.ingest;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where the trade log ends: the newest trade time and each symbol's last price, read back from
 * Kafka so that a restarted simulated market continues after it instead of repeating it.
 */
public record ResumePoint(long lastTs, Map<String, Double> lastPrices)
{
    public static final ResumePoint EMPTY = new ResumePoint(Long.MIN_VALUE, Map.of());

    public ResumePoint
    {
        lastPrices = Map.copyOf(requireNonNull(lastPrices, "lastPrices is null"));
    }

    public boolean isEmpty()
    {
        return lastTs == Long.MIN_VALUE;
    }
}
