package io.lambdatrades.batch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchRequestTest
{
    private static final Instant NOW = Instant.parse("2026-11-24T13:45:10Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aRunNowClosesEveryPeriodEndedByNow()
    {
        assertThat(BatchRequest.now(NOW, DAY).cutoff()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
        assertThat(BatchRequest.now(NOW, HOUR).cutoff()).isEqualTo(Instant.parse("2026-11-24T13:00:00Z"));
        assertThat(BatchRequest.now(NOW, Duration.ofMinutes(15)).cutoff()).isEqualTo(Instant.parse("2026-11-24T13:45:00Z"));
    }

    @Test
    void aPeriodRunClosesThatPeriod()
    {
        assertThat(BatchRequest.period("2026-11-20", NOW, DAY).cutoff()).isEqualTo(Instant.parse("2026-11-21T00:00:00Z"));
        assertThat(BatchRequest.period("2026-11-24T12", NOW, HOUR).cutoff()).isEqualTo(Instant.parse("2026-11-24T13:00:00Z"));
        assertThat(BatchRequest.period("2026-11-24T12:00", NOW, HOUR).cutoff()).isEqualTo(Instant.parse("2026-11-24T13:00:00Z"));
    }

    @Test
    void aPeriodMustStartAPeriodAndHaveEnded()
    {
        assertThatThrownBy(() -> BatchRequest.period("2026-11-24", NOW, DAY)).hasMessage("--period 2026-11-24 has not ended yet (it ends at 2026-11-25T00:00:00Z)");
        assertThatThrownBy(() -> BatchRequest.period("2026-11-24T12:30", NOW, HOUR)).hasMessage("--period 2026-11-24T12:30 is not the start of a 1-hour period");
        assertThatThrownBy(() -> BatchRequest.period("24/11/2026", NOW, DAY)).hasMessageStartingWith("--period 24/11/2026 is not a date");
    }

    @Test
    void aBackfillNamesEveryDateOfItsRange()
    {
        BatchRequest backfill = BatchRequest.backfill(LocalDate.parse("2026-10-30"), LocalDate.parse("2026-11-02"), NOW, DAY);

        assertThat(backfill.backfill()).containsExactlyInAnyOrder("2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02");
        assertThat(backfill.trigger()).isEqualTo("backfill");
        assertThatThrownBy(() -> BatchRequest.backfill(LocalDate.parse("2026-11-02"), LocalDate.parse("2026-11-01"), NOW, DAY))
                .hasMessage("--from 2026-11-02 is after --to 2026-11-01");
    }

    @Test
    void offsetsAreWrittenAsSparksKafkaSourceReadsThem()
    {
        assertThat(TopicOffsets.sparkJson("trades", Map.of(2, 7L, 0, 12L, 1, 0L))).isEqualTo("{\"trades\":{\"0\":12,\"1\":0,\"2\":7}}");
    }

    @Test
    void tradeDatesAreUtc()
    {
        assertThat(TradeRowDecoder.tradeDate(Instant.parse("2026-11-23T23:59:59.999Z").toEpochMilli())).isEqualTo("2026-11-23");
        assertThat(TradeRowDecoder.tradeDate(Instant.parse("2026-11-24T00:00:00Z").toEpochMilli())).isEqualTo("2026-11-24");
        assertThat(TradeRowDecoder.tradeDate(-1)).isEqualTo("1969-12-31");
    }
}
