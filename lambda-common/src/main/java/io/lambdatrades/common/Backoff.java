package io.lambdatrades.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff, capped, each delay drawn between half and all of its step; {@link #reset()} after a success. */
public final class Backoff
{
    private final Duration initial;
    private final Duration max;
    private int attempt;

    public Backoff(Duration initial, Duration max)
    {
        this.initial = initial;
        this.max = max;
    }

    public Duration next()
    {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
        attempt++;
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    public int attempts()
    {
        return attempt;
    }

    public void reset()
    {
        attempt = 0;
    }
}
