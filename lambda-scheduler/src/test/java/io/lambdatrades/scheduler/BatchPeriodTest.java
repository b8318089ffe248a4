package io.lambdatrades.scheduler;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class BatchPeriodTest
{
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DELAY = Duration.ofMinutes(15);

    @Test
    void aPeriodIsDueAtItsEndPlusTheDelay()
    {
        Instant from = Instant.parse("2026-11-23T00:00:00Z");
        assertThat(BatchPeriod.due(from, Instant.parse("2026-11-24T00:14:59Z"), DAY, DELAY)).isEmpty();
        assertThat(BatchPeriod.due(from, Instant.parse("2026-11-24T00:15:00Z"), DAY, DELAY))
                .containsExactly(new BatchPeriod(from, Instant.parse("2026-11-24T00:00:00Z")));
    }

    @Test
    void theMissedPeriodsComeOldestFirst()
    {
        assertThat(BatchPeriod.due(Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T13:20:00Z"), HOUR, DELAY))
                .extracting(BatchPeriod::start)
                .containsExactly(Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T11:00:00Z"), Instant.parse("2026-11-23T12:00:00Z"));
    }

    @Test
    void aStartInsideAPeriodBeginsWithThatPeriod()
    {
        assertThat(BatchPeriod.due(Instant.parse("2026-11-23T17:42:10Z"), Instant.parse("2026-11-25T01:00:00Z"), DAY, DELAY))
                .extracting(BatchPeriod::start)
                .containsExactly(Instant.parse("2026-11-23T00:00:00Z"), Instant.parse("2026-11-24T00:00:00Z"));
    }

    @Test
    void theNextTickIsTheNextPeriodEndPlusTheDelay()
    {
        assertThat(BatchPeriod.nextDue(Instant.parse("2026-11-23T18:00:00Z"), DAY, DELAY)).isEqualTo(Instant.parse("2026-11-24T00:15:00Z"));
        assertThat(BatchPeriod.nextDue(Instant.parse("2026-11-24T00:10:00Z"), DAY, DELAY)).isEqualTo(Instant.parse("2026-11-24T00:15:00Z"));
        assertThat(BatchPeriod.nextDue(Instant.parse("2026-11-24T00:15:00Z"), DAY, DELAY)).isEqualTo(Instant.parse("2026-11-25T00:15:00Z"));
        assertThat(BatchPeriod.nextDue(Instant.parse("2026-11-24T13:15:00Z"), HOUR, DELAY)).isEqualTo(Instant.parse("2026-11-24T14:15:00Z"));
    }
}
