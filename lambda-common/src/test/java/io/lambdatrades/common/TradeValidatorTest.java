package io.lambdatrades.common;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TradeValidatorTest
{
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final TradeValidator validator = new TradeValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsAnOrdinaryTrade()
    {
        assertThat(validator.violation(trade("AAPL", 190.5, 100, NOW.toEpochMilli()))).isEmpty();
    }

    @Test
    void acceptsZeroVolume()
    {
        assertThat(validator.violation(trade("OANDA:EUR_USD", 1.08, 0, NOW.toEpochMilli()))).isEmpty();
    }

    @Test
    void refusesAnEmptySymbol()
    {
        assertThat(validator.violation(trade("", 1, 1, NOW.toEpochMilli()))).contains("symbol is empty");
    }

    @Test
    void refusesASymbolLongerThan64Characters()
    {
        assertThat(validator.violation(trade("X".repeat(64), 1, 1, NOW.toEpochMilli()))).isEmpty();
        assertThat(validator.violation(trade("X".repeat(65), 1, 1, NOW.toEpochMilli()))).contains("symbol is longer than 64 characters");
    }

    @Test
    void refusesAPriceThatIsNotFiniteAndPositive()
    {
        for (double price : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThat(validator.violation(trade("AAPL", price, 1, NOW.toEpochMilli())))
                    .contains("price must be finite and > 0, was " + price);
        }
    }

    @Test
    void refusesAVolumeThatIsNotFiniteAndNonNegative()
    {
        for (double volume : new double[] {-0.5, Double.NaN, Double.NEGATIVE_INFINITY}) {
            assertThat(validator.violation(trade("AAPL", 1, volume, NOW.toEpochMilli())))
                    .contains("volume must be finite and >= 0, was " + volume);
        }
    }

    @Test
    void refusesATimeBefore2000()
    {
        assertThat(validator.violation(trade("AAPL", 1, 1, TradeValidator.MIN_TS))).isEmpty();
        assertThat(validator.violation(trade("AAPL", 1, 1, TradeValidator.MIN_TS - 1))).contains("ts 946684799999 is before 2000-01-01");
    }

    @Test
    void refusesATimeMoreThanADayAhead()
    {
        long dayAhead = NOW.plusSeconds(86_400).toEpochMilli();
        assertThat(validator.violation(trade("AAPL", 1, 1, dayAhead))).isEmpty();
        assertThat(validator.violation(trade("AAPL", 1, 1, dayAhead + 1))).contains("ts " + (dayAhead + 1) + " is more than one day in the future");
    }

    private static Trade trade(String symbol, double price, double volume, long ts)
    {
        return new Trade(symbol, price, volume, ts, List.of(), "simulate", NOW.toEpochMilli());
    }
}
