package io.lambdatrades.serving;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A symbol's line in the list: its last price, change and % change against the previous day's close
 * (null without a previous day), its day and the hourly closes of its last day for a sparkline.
 */
public record SymbolSummary(
        String symbol,
        double price,
        Double change,
        Double pctChange,
        Double previousClose,
        String date,
        double dayOpen,
        double dayHigh,
        double dayLow,
        double dayVolume,
        long dayTrades,
        Double dayVwap,
        String lastTradeAt,
        long lastTradeMs,
        List<Double> sparkline)
{
    public SymbolSummary
    {
        requireNonNull(symbol, "symbol is null");
        sparkline = List.copyOf(requireNonNull(sparkline, "sparkline is null"));
    }
}
