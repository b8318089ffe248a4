package io.lambdatrades.ingest;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** One instrument of the simulated market and the price it opens at. */
public record SimulatedInstrument(String symbol, AssetClass assetClass, double startPrice)
{
    /** Realistic price levels of the default market (late 2020s). */
    private static final Map<String, Double> KNOWN_PRICES = Map.ofEntries(
            Map.entry("AAPL", 228.50),
            Map.entry("MSFT", 431.20),
            Map.entry("AMZN", 197.80),
            Map.entry("NVDA", 138.40),
            Map.entry("TSLA", 251.10),
            Map.entry("GOOGL", 171.30),
            Map.entry("META", 562.90),
            Map.entry("BINANCE:BTCUSDT", 67_250.0),
            Map.entry("BINANCE:ETHUSDT", 3_412.0),
            Map.entry("BINANCE:SOLUSDT", 151.2),
            Map.entry("BINANCE:DOGEUSDT", 0.1342),
            Map.entry("OANDA:EUR_USD", 1.0834),
            Map.entry("OANDA:GBP_USD", 1.2712),
            Map.entry("OANDA:USD_JPY", 149.62));

    public static final List<String> DEFAULT_SYMBOLS = List.of(
            "AAPL", "MSFT", "AMZN", "NVDA", "TSLA", "GOOGL", "META",
            "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "BINANCE:SOLUSDT", "BINANCE:DOGEUSDT",
            "OANDA:EUR_USD", "OANDA:GBP_USD", "OANDA:USD_JPY");

    public SimulatedInstrument
    {
        requireNonNull(symbol, "symbol is null");
        requireNonNull(assetClass, "assetClass is null");
        if (!(startPrice > 0) || !Double.isFinite(startPrice)) {
            throw new IllegalArgumentException("start price of " + symbol + " must be finite and > 0");
        }
    }

    /** An instrument for any symbol: its known price level, or 100 for one the simulator does not know. */
    public static SimulatedInstrument of(String symbol)
    {
        return new SimulatedInstrument(symbol, AssetClass.of(symbol), KNOWN_PRICES.getOrDefault(symbol, 100.0));
    }

    public static List<SimulatedInstrument> of(List<String> symbols)
    {
        return (symbols.isEmpty() ? DEFAULT_SYMBOLS : symbols).stream().map(SimulatedInstrument::of).toList();
    }

    public SimulatedInstrument withStartPrice(double price)
    {
        return new SimulatedInstrument(symbol, assetClass, price);
    }
}
