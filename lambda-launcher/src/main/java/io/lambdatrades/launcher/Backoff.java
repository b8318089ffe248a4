package io.lambdatrades.launcher;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter, capped; {@link #reset()} after a success. */
final class Backoff
{
    private final Duration initial;
    private final Duration max;
    private int attempt;

    Backoff(Duration initial, Duration max)
    {
        this.initial = initial;
        this.max = max;
    }

    Duration next()
    {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt, 20));
        attempt++;
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }

    int attempts()
    {
        return attempt;
    }

    void reset()
    {
        attempt = 0;
    }
}
