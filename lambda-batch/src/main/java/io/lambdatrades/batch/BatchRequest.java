package io.lambdatrades.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What one batch run is asked to do.
 *
 * @param cutoff where the run moves the cutoff to (it never moves back)
 * @param backfill dates recomputed even when nothing new arrived for them
 * @param trigger who asked: manual, backfill, schedule
 */
public record BatchRequest(Instant cutoff, Set<String> backfill, String trigger)
{
    public BatchRequest
    {
        requireNonNull(cutoff, "cutoff is null");
        backfill = Set.copyOf(backfill);
        requireNonNull(trigger, "trigger is null");
    }

    /** Everything closed by now: the cutoff at the start of the current period. */
    public static BatchRequest now(Instant now, Duration period)
    {
        return new BatchRequest(floor(now, period), Set.of(), "manual");
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
        return new BatchRequest(end, Set.of(), "manual");
    }

    /** Recomputes the views of every date from {@code from} to {@code to} inclusive, and closes what is closed by now. */
    public static BatchRequest backfill(LocalDate from, LocalDate to, Instant now, Duration period)
    {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
        SortedSet<String> dates = new TreeSet<>();
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            dates.add(date.toString());
        }
        return new BatchRequest(floor(now, period), dates, "backfill");
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
