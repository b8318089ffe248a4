package io.lambdatrades.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What one batch run is asked to do.
 *
 * @param cutoff where the run moves the cutoff to (it never moves back)
 * @param backfillFrom with {@code backfillTo}, the dates recomputed even when nothing new arrived for them
 * @param trigger who asked: manual, backfill, schedule, catch-up
 */
public record BatchRequest(Instant cutoff, Optional<LocalDate> backfillFrom, Optional<LocalDate> backfillTo, String trigger)
{
    public BatchRequest
    {
        requireNonNull(cutoff, "cutoff is null");
        requireNonNull(backfillFrom, "backfillFrom is null");
        requireNonNull(backfillTo, "backfillTo is null");
        requireNonNull(trigger, "trigger is null");
    }

    /** Closes what ends by {@code cutoff}, recomputing only what has new data. */
    public static BatchRequest closing(Instant cutoff, String trigger)
    {
        return new BatchRequest(cutoff, Optional.empty(), Optional.empty(), trigger);
    }

    /** The dates a backfill recomputes, from the first to the last inclusive. */
    public SortedSet<String> backfill()
    {
        SortedSet<String> dates = new TreeSet<>();
        if (backfillFrom.isPresent() && backfillTo.isPresent()) {
            for (LocalDate date = backfillFrom.get(); !date.isAfter(backfillTo.get()); date = date.plusDays(1)) {
                dates.add(date.toString());
            }
        }
        return dates;
    }

    /** Everything closed by now: the cutoff at the start of the current period. */
    public static BatchRequest now(Instant now, Duration period)
    {
        return closing(floor(now, period), "manual");
    }

    /**
     * The period starting at {@code start} (2026-11-23, or 2026-11-23T14:00 for periods under a day).
     *
     * @throws IllegalArgumentException when it is not a period start or has not ended yet
     */
    public static BatchRequest period(String start, Instant now, Duration period)
    {
        Instant begin = parseStart(start);
        if (!floor(begin, period).equals(begin)) {
            throw new IllegalArgumentException("--period " + start + " is not the start of a " + describe(period) + " period");
        }
        Instant end = begin.plus(period);
        if (end.isAfter(now)) {
            throw new IllegalArgumentException("--period " + start + " has not ended yet (it ends at " + end + ")");
        }
        return closing(end, "manual");
    }

    /** Recomputes the views of every date from {@code from} to {@code to} inclusive, and closes what is closed by now. */
    public static BatchRequest backfill(LocalDate from, LocalDate to, Instant now, Duration period)
    {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
        return new BatchRequest(floor(now, period), Optional.of(from), Optional.of(to), "backfill");
    }

    public static Instant floor(Instant instant, Duration period)
    {
        long millis = period.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(instant.toEpochMilli(), millis) * millis);
    }

    private static Instant parseStart(String text)
    {
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            String withMinutes = text.length() == 13 ? text + ":00" : text.replaceAll("Z$", "");
            return LocalDateTime.parse(withMinutes).toInstant(ZoneOffset.UTC);
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--period " + text + " is not a date (2026-11-23) or a UTC time (2026-11-23T14:00)");
        }
    }

    private static String describe(Duration period)
    {
        return period.toDays() == 1 ? "1-day" : period.toMinutes() % 60 == 0 ? period.toHours() + "-hour" : period.toMinutes() + "-minute";
    }
}
