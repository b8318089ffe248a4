package io.lambdatrades.ingest;

import io.lambdatrades.common.Trade;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.util.Objects.requireNonNull;

/**
 * The simulated market as a feed: first the history (trades from {@code historyDays} ago up to now,
 * as fast as the listener takes them), then live trades paced by the clock. When the trade log
 * already holds trades, the market continues after the newest one, from its last prices, so that a
 * restart neither repeats nor rewrites what is there.
 */
public final class SimulatedFeed
        implements TradeFeed
{
    private final long seed;
    private final List<SimulatedInstrument> instruments;
    private final double liveRate;
    private final Duration history;
    private final double historyRate;
    private final ResumePoint resumePoint;
    private final Clock clock;
    private final FeedPhaseListener phaseListener;

    public SimulatedFeed(
            long seed,
            List<SimulatedInstrument> instruments,
            double liveRate,
            Duration history,
            double historyRate,
            ResumePoint resumePoint,
            Clock clock,
            FeedPhaseListener phaseListener)
    {
        this.seed = seed;
        this.instruments = List.copyOf(requireNonNull(instruments, "instruments is null"));
        this.liveRate = liveRate;
        this.history = requireNonNull(history, "history is null");
        this.historyRate = historyRate;
        this.resumePoint = requireNonNull(resumePoint, "resumePoint is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.phaseListener = requireNonNull(phaseListener, "phaseListener is null");
    }

    @Override
    public String name()
    {
        return "simulate";
    }

    @Override
    public void run(TradeListener listener)
    {
        long now = clock.millis();
        long start = resumePoint.isEmpty() ? now - history.toMillis() : Math.max(resumePoint.lastTs() + 1, now - history.toMillis());
        List<SimulatedInstrument> opening = instruments.stream()
                .map(instrument -> instrument.withStartPrice(resumePoint.lastPrices().getOrDefault(instrument.symbol(), instrument.startPrice())))
                .toList();
        if (start < now) {
            phaseListener.onPhase(FeedPhase.HISTORY);
            SimulatedMarket past = new SimulatedMarket(seedAt(start), opening, start, historyRate, clock::millis);
            while (past.peekTs() < now) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                listener.onTrade(past.next());
            }
            opening = past.currentPrices();
        }
        long liveStart = Math.max(now, start);
        phaseListener.onPhase(FeedPhase.LIVE);
        SimulatedMarket live = new SimulatedMarket(seedAt(liveStart), opening, liveStart, liveRate, clock::millis);
        while (!Thread.currentThread().isInterrupted()) {
            long waitMillis = live.peekTs() - clock.millis();
            if (waitMillis > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(waitMillis, 100)));
                continue;
            }
            Trade trade = live.next();
            listener.onTrade(trade);
        }
    }

    /** Each start time gets a market of its own, still fully determined by the configured seed. */
    private long seedAt(long startTs)
    {
        return seed * 0x9E3779B97F4A7C15L ^ startTs;
    }

    public enum FeedPhase
    {
        HISTORY, LIVE
    }

    /** Told when the feed moves from writing history to live trading. */
    @FunctionalInterface
    public interface FeedPhaseListener
    {
        void onPhase(FeedPhase phase);
    }
}
