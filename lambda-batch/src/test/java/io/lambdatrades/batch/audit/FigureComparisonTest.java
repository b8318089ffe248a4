package io.lambdatrades.batch.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit compares prices bit for bit and sums and ratios up to the last bits that their order changes. */
class FigureComparisonTest
{
    private static final BucketAggregate VIEWS = new BucketAggregate(Grain.HOUR, "AAPL", 0, 10.1, 10.3, 10.0, 10.2, 0.1 + 0.2 + 0.3, 3, 6.1);

    @Test
    void sumsTakenInAnotherOrderAreEqual()
    {
        // 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in their last bit.
        assertThat(0.1 + 0.2 + 0.3).isNotEqualTo(0.3 + 0.2 + 0.1);
        BucketAggregate trades = new BucketAggregate(Grain.HOUR, "AAPL", 0, 10.1, 10.3, 10.0, 10.2, 0.3 + 0.2 + 0.1, 3, 6.1);

        assertThat(VIEWS.differencesFrom(trades)).isEmpty();
    }

    @Test
    void aPriceOneBitApartAndASumBeyondTheLastBitsDiffer()
    {
        BucketAggregate trades = new BucketAggregate(Grain.HOUR, "AAPL", 0, 10.1, Math.nextUp(10.3), 10.0, 10.2, 0.6 + 1e-6, 3, 6.1);

        assertThat(VIEWS.differencesFrom(trades)).containsExactly(
                "high 10.3 in the views, " + Math.nextUp(10.3) + " in the trades",
                "volume " + VIEWS.volume() + " in the views, " + (0.6 + 1e-6) + " in the trades");
    }

    @Test
    void aSymbolsRowComparesItsPriceExactlyAndItsChangeUpToTheLastBits()
    {
        SymbolFigures kept = symbol(101.25, OptionalDouble.of(0.1 + 0.2 + 0.3), 0.1 + 0.2 + 0.3);
        assertThat(kept.differencesFrom(symbol(101.25, OptionalDouble.of(0.3 + 0.2 + 0.1), 0.3 + 0.2 + 0.1))).isEmpty();

        assertThat(kept.differencesFrom(symbol(Math.nextUp(101.25), OptionalDouble.of(0.6001), 0.1 + 0.2 + 0.3)))
                .containsExactly("price 101.25 kept, " + Math.nextUp(101.25) + " in the trades", "change OptionalDouble[0.6000000000000001] kept, OptionalDouble[0.6001] in the trades");
        assertThat(kept.differencesFrom(symbol(101.25, OptionalDouble.empty(), 0.1 + 0.2 + 0.3)))
                .containsExactly("change OptionalDouble[0.6000000000000001] kept, OptionalDouble.empty in the trades");
    }

    private static SymbolFigures symbol(double price, OptionalDouble change, double dayVolume)
    {
        return new SymbolFigures("AAPL", LocalDate.of(2026, 12, 4), price, OptionalDouble.of(100.65), change, OptionalDouble.of(0.6), 100.7, 101.5, 100.1,
                dayVolume, 3, OptionalDouble.of(101.0), Instant.parse("2026-12-04T20:59:59Z"), List.of(100.9, 101.25));
    }
}
