package io.lambdatrades.serving;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run asked for over HTTP: every period ended by now (no field), one period ({@code period}), or a
 * backfill of dates ({@code from}, {@code to}, inclusive).
 */
public record BatchRunRequest(String period, LocalDate from, LocalDate to)
{
    /** The {@code lambda batch run} options that perform it. */
    public List<String> options()
    {
        List<String> options = new ArrayList<>();
        if (period != null) {
            options.add("--period");
            options.add(period);
        }
        if (from != null) {
            options.add("--from");
            options.add(from.toString());
            options.add("--to");
            options.add(to.toString());
        }
        return List.copyOf(options);
    }

    /**
     * @param body the request's JSON fields (strings)
     * @throws ApiException 400 naming the field at fault
     */
    static BatchRunRequest parse(Map<String, Object> body, Clock clock)
    {
        for (String key : body.keySet()) {
            if (!List.of("period", "from", "to").contains(key)) {
                throw ApiException.badRequest(key, "unknown field; a run takes 'period', or 'from' and 'to', or nothing");
            }
        }
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (body.containsKey("period")) {
            if (body.containsKey("from") || body.containsKey("to")) {
                throw ApiException.badRequest("period", "give either 'period' or 'from' and 'to', not both");
            }
            String period = text(body, "period");
            LocalDateTime start = periodStart(period);
            if (!start.toLocalDate().isBefore(today.plusDays(1))) {
                throw ApiException.badRequest("period", "'" + period + "' has not started yet");
            }
            return new BatchRunRequest(period, null, null);
        }
        if (body.containsKey("from") || body.containsKey("to")) {
            LocalDate from = date(body, "from");
            LocalDate to = date(body, "to");
            if (from.isAfter(to)) {
                throw ApiException.badRequest("from", "must not be after 'to' (" + from + " > " + to + ")");
            }
            if (to.isAfter(today)) {
                throw ApiException.badRequest("to", "must not be in the future (" + to + ")");
            }
            return new BatchRunRequest(null, from, to);
        }
        return new BatchRunRequest(null, null, null);
    }

    private static LocalDateTime periodStart(String period)
    {
        try {
            return period.contains("T") ? LocalDateTime.parse(period) : LocalDate.parse(period).atStartOfDay();
        }
        catch (DateTimeParseException e) {
            throw ApiException.badRequest("period", "must be a date (2026-11-23) or, for periods under a day, a start time (2026-11-23T14:00), not '" + period + "'");
        }
    }

    private static LocalDate date(Map<String, Object> body, String field)
    {
        String text = text(body, field);
        try {
            return LocalDate.parse(text);
        }
        catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "must be a date (YYYY-MM-DD), not '" + text + "'");
        }
    }

    private static String text(Map<String, Object> body, String field)
    {
        Object value = body.get(field);
        if (!(value instanceof String text) || text.isBlank()) {
            throw ApiException.badRequest(field, "must be a non-empty string");
        }
        return text.trim();
    }
}
