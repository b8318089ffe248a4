package io.lambdatrades.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** One batch period, [start, end). */
public record BatchPeriod(Instant start, Instant end)
{
    public BatchPeriod
    {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("period ends at " + end + ", not after its start " + start);
        }
    }

    /**
     * The periods after {@code from} that are due by {@code now}: ended at least {@code delay} ago, oldest first.
     *
     * @param from the end of the last period already closed, aligned to the period
     */
    public static List<BatchPeriod> due(Instant from, Instant now, Duration period, Duration delay)
    {
        List<BatchPeriod> due = new ArrayList<>();
        for (Instant start = floor(from, period); !start.plus(period).plus(delay).isAfter(now); start = start.plus(period)) {
            due.add(new BatchPeriod(start, start.plus(period)));
        }
        return due;
    }

    /** When the period after the one containing {@code after - delay} is due: the next tick of the default schedule. */
    public static Instant nextDue(Instant after, Duration period, Duration delay)
    {
        return floor(after.minus(delay), period).plus(period).plus(delay);
    }

    public static Instant floor(Instant instant, Duration period)
    {
        long millis = period.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), millis) * millis);
    }
}
