package io.lambdatrades.batch.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * One symbol's row of the API's symbol list (SPEC 6): its last day with trades against the day before
 * it, and the closes of its hours in the 24 hours before its last trade (the sparkline), as
 * {@code symbol_summaries} keeps it or as the trades give it.
 *
 * @param previousClose the close of the symbol's day before {@code date}, absent for its first day
 * @param change the price less the previous close; {@code pctChange} that as a percentage of the previous close
 * @param dayVwap absent when the day's volume is 0
 */
public record SymbolFigures(
        String symbol,
        LocalDate date,
        double price,
        OptionalDouble previousClose,
        OptionalDouble change,
        OptionalDouble pctChange,
        double dayOpen,
        double dayHigh,
        double dayLow,
        double dayVolume,
        long dayTrades,
        OptionalDouble dayVwap,
        Instant lastTrade,
        List<Double> hourlyCloses)
{
    public SymbolFigures
    {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(date, "date is null");
        requireNonNull(previousClose, "previousClose is null");
        requireNonNull(change, "change is null");
        requireNonNull(pctChange, "pctChange is null");
        requireNonNull(dayVwap, "dayVwap is null");
        requireNonNull(lastTrade, "lastTrade is null");
        hourlyCloses = List.copyOf(hourlyCloses);
    }

    /** How the kept row differs from the figures the trades give, field by field; empty when equal. */
    List<String> differencesFrom(SymbolFigures trades)
    {
        List<String> differences = new ArrayList<>();
        compare(differences, "date", date, trades.date);
        compare(differences, "price", price, trades.price);
        compare(differences, "previous close", previousClose, trades.previousClose);
        compareClose(differences, "change", change, trades.change);
        compareClose(differences, "% change", pctChange, trades.pctChange);
        compare(differences, "day open", dayOpen, trades.dayOpen);
        compare(differences, "day high", dayHigh, trades.dayHigh);
        compare(differences, "day low", dayLow, trades.dayLow);
        if (!SumTolerance.equal(dayVolume, trades.dayVolume)) {
            differences.add("day volume " + dayVolume + " kept, " + trades.dayVolume + " in the trades");
        }
        compare(differences, "day trades", dayTrades, trades.dayTrades);
        compareClose(differences, "day vwap", dayVwap, trades.dayVwap);
        compare(differences, "last trade", lastTrade, trades.lastTrade);
        compare(differences, "hourly closes", hourlyCloses, trades.hourlyCloses);
        return differences;
    }

    // Doubles compared by Double.equals: bit for bit, as BucketAggregate compares prices; sums and ratios by SumTolerance.
    private static void compare(List<String> differences, String field, Object kept, Object trades)
    {
        if (!Objects.equals(kept, trades)) {
            differences.add(field + " " + kept + " kept, " + trades + " in the trades");
        }
    }

    private static void compareClose(List<String> differences, String field, OptionalDouble kept, OptionalDouble trades)
    {
        if (kept.isPresent() != trades.isPresent() || (kept.isPresent() && !SumTolerance.equal(kept.getAsDouble(), trades.getAsDouble()))) {
            differences.add(field + " " + kept + " kept, " + trades + " in the trades");
        }
    }
}
