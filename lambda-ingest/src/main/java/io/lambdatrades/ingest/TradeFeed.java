package io.lambdatrades.ingest;

/** A source of trades: the simulated market, Finnhub's feed, a replayed recording. */
public interface TradeFeed
{
    /** The value of each trade's {@code source} field. */
    String name();

    /**
     * Delivers trades to the listener until the feed ends or the calling thread is interrupted.
     * Returns normally in both cases, with the interrupt flag left set when interrupted.
     */
    void run(TradeListener listener);
}
