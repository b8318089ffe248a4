package io.lambdatrades.batch.audit;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What an audit checks: some days or every day, at some grains. By default every day at the daily and
 * hourly grains (a year of minutes is tens of millions of rows to compare), one day at every grain.
 *
 * @param days the UTC days, or empty for every day with trades or views
 */
public record AuditScope(SortedSet<LocalDate> days, List<Grain> grains)
        implements Serializable
{
    public AuditScope
    {
        days = new TreeSet<>(requireNonNull(days, "days is null"));
        if (grains.isEmpty()) {
            throw new IllegalArgumentException("an audit needs at least one grain");
        }
        // Coarsest first: a day's difference is reported before its hours and minutes.
        grains = grains.stream().distinct().sorted(Comparator.reverseOrder()).toList();
    }

    public static AuditScope everyDay()
    {
        return new AuditScope(new TreeSet<>(), List.of(Grain.DAY, Grain.HOUR));
    }

    public static AuditScope of(SortedSet<LocalDate> days)
    {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("an audit of some days needs at least one");
        }
        return new AuditScope(days, List.of(Grain.values()));
    }

    public AuditScope withGrains(List<Grain> other)
    {
        return new AuditScope(days, other);
    }

    public boolean everyDayWithData()
    {
        return days.isEmpty();
    }

    /** The symbol list needs every day (a symbol's last two) and its hours (the sparkline). */
    public boolean coversSymbolList()
    {
        return everyDayWithData() && grains.contains(Grain.DAY) && grains.contains(Grain.HOUR);
    }

    boolean covers(long tsMs)
    {
        return everyDayWithData() || days.contains(LocalDate.ofEpochDay(Math.floorDiv(tsMs, Grain.DAY.millis())));
    }

    static long dayStartMs(LocalDate day)
    {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }
}
