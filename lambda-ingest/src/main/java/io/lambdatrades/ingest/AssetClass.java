package io.lambdatrades.ingest;

import java.util.List;

/**
 * How one kind of instrument trades in the simulated market: volatility, price grid, sizes, and the
 * share of the market's trades it takes.
 */
public enum AssetClass
{
    // 30 % a year over 252 days of 6.5 hours.
    STOCK(0.30 / Math.sqrt(252 * 6.5 * 3600), 2, 3.0),
    // 60 % a year, markets that never close.
    CRYPTO(0.60 / Math.sqrt(365 * 24 * 3600), 6, 4.0),
    // 8 % a year; FX trades on Finnhub carry no volume.
    FX(0.08 / Math.sqrt(252 * 24 * 3600), 5, 1.0);

    private final double volatilityPerSqrtSecond;
    private final int significantDigits;
    private final double activityWeight;

    AssetClass(double volatilityPerSqrtSecond, int significantDigits, double activityWeight)
    {
        this.volatilityPerSqrtSecond = volatilityPerSqrtSecond;
        this.significantDigits = significantDigits;
        this.activityWeight = activityWeight;
    }

    public double volatilityPerSqrtSecond()
    {
        return volatilityPerSqrtSecond;
    }

    public double activityWeight()
    {
        return activityWeight;
    }

    /** Decimals of the price grid: stocks trade in cents, others to about six significant digits. */
    public int priceDecimals(double price)
    {
        if (this == STOCK) {
            return significantDigits;
        }
        int magnitude = (int) Math.floor(Math.log10(price));
        return Math.max(0, significantDigits - 1 - magnitude);
    }

    /** Conditions a Finnhub trade of this class may carry; crypto and FX carry none. */
    public List<List<String>> conditionChoices()
    {
        return this == STOCK ? List.of(List.of("1"), List.of("1", "12"), List.of("12", "37"), List.of()) : List.of(List.of());
    }

    /** Infers the class from Finnhub's symbol form: {@code OANDA:EUR_USD}, {@code BINANCE:BTCUSDT}, {@code AAPL}. */
    public static AssetClass of(String symbol)
    {
        if (symbol.startsWith("OANDA:") || symbol.startsWith("FXCM:") || symbol.startsWith("FOREX:")) {
            return FX;
        }
        return symbol.contains(":") ? CRYPTO : STOCK;
    }
}
