package io.lambdatrades.launcher;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.awaitility.Awaitility.await;

/**
 * The UTC day a test takes as "today". A test that expects the scheduler to close the past days, or
 * reads a day's aggregates, fails if midnight passes under it: the system then closes one more day
 * than the test expects. Such a test starts only when no midnight falls within its span, and runs
 * {@code up} with {@link #NO_BATCH_DELAY}, so that right after midnight the new day is already closed.
 */
final class UtcDay
{
    /** The scheduler closes a day the moment it ends, not 15 minutes later. */
    static final String NO_BATCH_DELAY = "0s";

    private UtcDay() {}

    /** Today, once no UTC midnight falls within the next {@code span}: waits for the next midnight to pass if one does. */
    static LocalDate stableFor(Duration span)
    {
        await().atMost(span.plusMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !nextMidnight().isBefore(Instant.now().plus(span)));
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static Instant nextMidnight()
    {
        return LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
