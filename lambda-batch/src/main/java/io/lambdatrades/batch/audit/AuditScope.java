package io.lambdatrades.batch.audit;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What an audit checks: some days with every grain, or every day with the daily and hourly views only
 * (a year of minutes is tens of millions of rows to compare).
 *
 * @param days the UTC days, or empty for every day with trades or views
 */
public record AuditScope(SortedSet<LocalDate> days, boolean minutes)
{
    public AuditScope
    {
        days = new TreeSet<>(requireNonNull(days, "days is null"));
    }

    public static AuditScope everyDay()
    {
        return new AuditScope(new TreeSet<>(), false);
    }

    public static AuditScope of(SortedSet<LocalDate> days)
    {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("an audit of some days needs at least one");
        }
        return new AuditScope(days, true);
    }

    public boolean everyDayWithData()
    {
        return days.isEmpty();
    }

    public List<Grain> grains()
    {
        return minutes ? List.of(Grain.DAY, Grain.HOUR, Grain.MINUTE) : List.of(Grain.DAY, Grain.HOUR);
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
