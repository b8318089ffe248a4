package io.lambdatrades.serving;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** Parses and checks request parameters; anything wrong is a 400 that names the parameter. */
final class RequestParameters
{
    private RequestParameters() {}

    /** A date YYYY-MM-DD, or the default when absent. */
    static LocalDate date(String name, String text, LocalDate defaultValue)
    {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            return LocalDate.parse(text.trim());
        }
        catch (DateTimeParseException e) {
            throw ApiException.badRequest(name, "must be a date YYYY-MM-DD, not '" + text + "'");
        }
    }

    /** An ISO-8601 instant (2026-12-01T14:00:00Z, with any offset) or a date (its start, UTC), or the default when absent. */
    static Instant time(String name, String text, Instant defaultValue)
    {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        String value = text.trim();
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            catch (DateTimeParseException notDate) {
                throw ApiException.badRequest(name, "must be an ISO-8601 time (2026-12-01T14:00:00Z) or a date (2026-12-01), not '" + text + "'");
            }
        }
    }

    /** Checks from < to and the width of [from, to) against what the interval allows. */
    static void range(Instant from, Instant to, Duration maxRange, String unit)
    {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from", "must be before 'to' (" + from + " >= " + to + ")");
        }
        if (Duration.between(from, to).compareTo(maxRange) > 0) {
            throw ApiException.badRequest("to", "the range is too wide for " + unit + ": at most " + maxRange.toDays() + " days, asked "
                    + Duration.between(from, to).toDays() + " days");
        }
    }

    static int limit(String text, int defaultValue, int max)
    {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        }
        catch (NumberFormatException e) {
            // Said below, with the bounds.
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + max + ", not '" + text + "'");
    }

    /** A comma-separated symbol list; empty when absent. */
    static Set<String> symbols(String text)
    {
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<String> symbols = new LinkedHashSet<>();
        Arrays.stream(text.split(",")).map(String::trim).filter(symbol -> !symbol.isEmpty()).forEach(symbols::add);
        for (String symbol : symbols) {
            if (symbol.length() > 64) {
                throw ApiException.badRequest("symbols", "a symbol has at most 64 characters");
            }
        }
        return symbols;
    }

    static String symbol(String text)
    {
        if (text == null || text.isBlank() || text.length() > 64) {
            throw ApiException.badRequest("symbol", "must be 1 to 64 characters (URL-encode a colon as %3A)");
        }
        return text;
    }
}
