package io.lambdatrades.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * Doubles as JSON numbers, the short decimals that prices, volumes and most figures are (100.37,
 * 64321.5) without Schubfach's general algorithm: a fifth of the uncached symbol list's CPU went there
 * (docs/benchmarks-history.md). The text is the one Jackson's fast writer gives, which a test checks: a double
 * in [0.001, 10^7) that some decimal of at most {@value #MAX_FRACTION_DIGITS} fraction digits reads back
 * as is written as that decimal, the only one so short, since two such decimals are further apart than
 * the double's spacing; every other double goes to Jackson.
 */
final class ShortDecimalSerializer
        extends StdSerializer<Double>
{
    private static final int MAX_FRACTION_DIGITS = 6;
    // A sign, seven integral digits, the point and the fraction's digits.
    private static final int MAX_LENGTH = 1 + 7 + 1 + MAX_FRACTION_DIGITS;
    private static final double[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    // Each request thread's scratch text: a fresh one per number was an eighth of the uncached API's garbage.
    private final ThreadLocal<char[]> scratch = ThreadLocal.withInitial(() -> new char[MAX_LENGTH]);

    ShortDecimalSerializer()
    {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator generator, SerializerProvider provider)
            throws IOException
    {
        double number = value;
        char[] text = scratch.get();
        int start = shortDecimal(number, text);
        if (start < 0) {
            generator.writeNumber(number);
        }
        else {
            generator.writeNumber(text, start, text.length - start);
        }
    }

    /** Writes the double as its short decimal at the end of {@code text} and returns where it starts, or -1 when it has none. */
    static int shortDecimal(double number, char[] text)
    {
        double magnitude = Math.abs(number);
        // Outside this range Java writes computerized scientific notation: Jackson's writer does that.
        if (!(magnitude >= 1e-3 && magnitude < 1e7)) {
            return -1;
        }
        for (int digits = 0; digits <= MAX_FRACTION_DIGITS; digits++) {
            double scaled = magnitude * POWERS_OF_TEN[digits];
            if (scaled != Math.rint(scaled)) {
                continue;
            }
            // The product was rounded: the decimal counts only if it reads back as this double. Both
            // operands are exact doubles, so the division is correctly rounded, as parsing the decimal is.
            long units = (long) scaled;
            if (units / POWERS_OF_TEN[digits] != magnitude) {
                return -1;
            }
            return write(number < 0, units, digits, text);
        }
        return -1;
    }

    /** Writes right to left, ending at {@code text}'s end, and returns where the decimal starts. */
    private static int write(boolean negative, long units, int fractionDigits, char[] text)
    {
        // 100.40 read back as the double, so does 100.4: the shorter is the one Jackson writes.
        while (fractionDigits > 0 && units % 10 == 0) {
            units /= 10;
            fractionDigits--;
        }
        int position = text.length;
        if (fractionDigits == 0) {
            text[--position] = '0';
        }
        for (int digit = 0; digit < fractionDigits; digit++) {
            text[--position] = (char) ('0' + units % 10);
            units /= 10;
        }
        text[--position] = '.';
        do {
            text[--position] = (char) ('0' + units % 10);
            units /= 10;
        }
        while (units > 0);
        if (negative) {
            text[--position] = '-';
        }
        return position;
    }
}
