package io.lambdatrades.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The validation rules of SPEC 2; a trade that breaks one goes to the dead-letter topic with the reason. */
public final class TradeValidator
{
    public static final int MAX_SYMBOL_LENGTH = 64;
    public static final long MIN_TS = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX_FUTURE_MILLIS = Duration.ofDays(1).toMillis();

    private final Clock clock;

    public TradeValidator(Clock clock)
    {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The first rule the trade breaks, or empty when it is valid. */
    public Optional<String> violation(Trade trade)
    {
        if (trade.symbol().isEmpty()) {
            return Optional.of("symbol is empty");
        }
        if (trade.symbol().length() > MAX_SYMBOL_LENGTH) {
            return Optional.of("symbol is longer than " + MAX_SYMBOL_LENGTH + " characters");
        }
        if (!Double.isFinite(trade.price()) || trade.price() <= 0) {
            return Optional.of("price must be finite and > 0, was " + trade.price());
        }
        if (!Double.isFinite(trade.volume()) || trade.volume() < 0) {
            return Optional.of("volume must be finite and >= 0, was " + trade.volume());
        }
        if (trade.ts() < MIN_TS) {
            return Optional.of("ts " + trade.ts() + " is before 2000-01-01");
        }
        if (trade.ts() > clock.millis() + MAX_FUTURE_MILLIS) {
            return Optional.of("ts " + trade.ts() + " is more than one day in the future");
        }
        return Optional.empty();
    }
}
