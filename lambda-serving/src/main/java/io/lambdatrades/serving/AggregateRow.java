package io.lambdatrades.serving;

import com.fasterxml.jackson.annotation.JsonInclude;

import static java.util.Objects.requireNonNull;

/**
 * One merged bucket of a symbol (SPEC 7): where it came from is {@code source}, batch, speed or merged.
 *
 * @param date the bucket's day (YYYY-MM-DD) on daily rows, null on the others
 * @param vwap null when the volume is 0 (FX)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AggregateRow(
        String symbol,
        String bucket,
        long bucketMs,
        String date,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long trades,
        double notional,
        Double vwap,
        String source)
{
    public AggregateRow
    {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(source, "source is null");
    }
}
