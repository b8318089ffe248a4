package io.lambdatrades.batch.audit;

import io.lambdatrades.batch.OffsetCoverage;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The pass gathers the master dataset's offsets for the ledger check of an audit of every day, and only then. */
class TradePassTest
{
    private static final long DAY_MS = 86_400_000L;
    private static final long DAY = LocalDate.parse("2026-11-20").toEpochDay() * DAY_MS;
    private static final List<Row> ROWS = List.of(
            RowFactory.create("AAPL", 100.0, 1.0, DAY + 1_000, 0, 0L, true),
            RowFactory.create("AAPL", 101.0, 2.0, DAY + 2_000, 0, 1L, true),
            RowFactory.create("AAPL", 102.0, 3.0, DAY + DAY_MS + 1_000, 1, 0L, false));

    @Test
    void anAuditOfEveryDayGathersTheMasterDatasetsOffsets()
    {
        OffsetCoverage offsets = new OffsetCoverage();
        LongAccumulator rows = new LongAccumulator();
        new TradePass(AuditScope.everyDay(), Instant.ofEpochMilli(DAY + DAY_MS), Map.of(1, 1L), offsets, rows).call(ROWS.iterator());
        assertThat(rows.value()).isEqualTo(2);
        assertThat(offsets.value()).isEqualTo(Map.of(0, List.of(new OffsetCoverage.Range(0, 2))));
    }

    @Test
    void anAuditOfSomeDaysGathersNone()
    {
        OffsetCoverage offsets = new OffsetCoverage();
        LongAccumulator rows = new LongAccumulator();
        AuditScope oneDay = AuditScope.of(new TreeSet<>(List.of(LocalDate.parse("2026-11-20"))));
        TradeBuckets buckets = new TradePass(oneDay, Instant.ofEpochMilli(DAY + DAY_MS), Map.of(1, 1L), offsets, rows).call(ROWS.iterator()).next();
        assertThat(rows.value()).isZero();
        assertThat(offsets.isZero()).isTrue();
        // The day's trades are still counted: only the ledger's bookkeeping is skipped.
        assertThat(buckets.aggregates()).isNotEmpty();
    }
}
