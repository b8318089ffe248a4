package io.lambdatrades.ingest;

import io.lambdatrades.common.Trade;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * A deterministic market: for one seed, instruments, start time and rate, the same trades in the
 * same order. Arrivals come in bursts (a burst is an order sweeping the book: several trades of one
 * symbol in the same millisecond, each a tick further), gaps between bursts are exponential, and
 * each symbol's price is a geometric random walk scaled by the time since its previous trade.
 * Not thread safe.
 */
public final class SimulatedMarket
{
    private static final double MEAN_BURST_SIZE = 2.0;

    private final SplittableRandom random;
    private final List<SimulatedInstrument> instruments;
    private final double[] prices;
    private final long[] lastTradeTs;
    private final double[] cumulativeWeights;
    private final double meanGapMillis;
    private final LongSupplier ingestClock;

    private double clockMillis;
    private int burstRemaining;
    private int burstInstrument;
    private int burstDirection;

    /**
     * @param startTs epoch millisecond of the first possible trade
     * @param tradesPerSecond mean trades per second of market time
     * @param ingestClock stamps each trade's ingest time
     */
    public SimulatedMarket(long seed, List<SimulatedInstrument> instruments, long startTs, double tradesPerSecond, LongSupplier ingestClock)
    {
        requireNonNull(instruments, "instruments is null");
        if (instruments.isEmpty()) {
            throw new IllegalArgumentException("the market needs at least one instrument");
        }
        if (!(tradesPerSecond > 0)) {
            throw new IllegalArgumentException("tradesPerSecond must be > 0");
        }
        this.random = new SplittableRandom(seed);
        this.instruments = List.copyOf(instruments);
        this.prices = instruments.stream().mapToDouble(SimulatedInstrument::startPrice).toArray();
        this.lastTradeTs = new long[instruments.size()];
        Arrays.fill(lastTradeTs, startTs);
        this.cumulativeWeights = cumulativeWeights(instruments);
        this.meanGapMillis = 1000.0 * MEAN_BURST_SIZE / tradesPerSecond;
        this.ingestClock = requireNonNull(ingestClock, "ingestClock is null");
        this.clockMillis = startTs;
    }

    private static double[] cumulativeWeights(List<SimulatedInstrument> instruments)
    {
        double[] weights = new double[instruments.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            total += instruments.get(i).assetClass().activityWeight();
            weights[i] = total;
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] /= total;
        }
        return weights;
    }

    /** The time of the next trade, without taking it. */
    public long peekTs()
    {
        if (burstRemaining == 0) {
            startBurst();
        }
        return (long) clockMillis;
    }

    public Trade next()
    {
        long ts = peekTs();
        int index = burstInstrument;
        SimulatedInstrument instrument = instruments.get(index);
        AssetClass assetClass = instrument.assetClass();
        int decimals = assetClass.priceDecimals(prices[index]);
        double tick = Math.pow(10, -decimals);
        double price;
        if (burstDirection == 0) {
            double seconds = Math.max(ts - lastTradeTs[index], 1) / 1000.0;
            double step = assetClass.volatilityPerSqrtSecond() * Math.sqrt(seconds) * random.nextGaussian();
            price = prices[index] * Math.exp(step);
            burstDirection = random.nextBoolean() ? 1 : -1;
        }
        else {
            price = prices[index] + burstDirection * tick * (1 + random.nextInt(2));
        }
        price = roundTo(Math.max(price, tick), decimals);
        prices[index] = price;
        lastTradeTs[index] = ts;
        burstRemaining--;
        List<List<String>> conditions = assetClass.conditionChoices();
        return new Trade(
                instrument.symbol(),
                price,
                volume(assetClass, price),
                ts,
                conditions.get(random.nextInt(conditions.size())),
                "simulate",
                ingestClock.getAsLong());
    }

    /** Last price of each symbol, in instrument order. */
    public List<SimulatedInstrument> currentPrices()
    {
        List<SimulatedInstrument> current = new ArrayList<>(instruments.size());
        for (int i = 0; i < instruments.size(); i++) {
            current.add(instruments.get(i).withStartPrice(prices[i]));
        }
        return current;
    }

    private void startBurst()
    {
        clockMillis += -Math.log(1 - random.nextDouble()) * meanGapMillis;
        // Geometric burst size with mean MEAN_BURST_SIZE: most bursts are one trade, a few are long sweeps.
        int size = 1;
        while (random.nextDouble() < 1 - 1 / MEAN_BURST_SIZE && size < 50) {
            size++;
        }
        burstRemaining = size;
        burstInstrument = pickInstrument();
        burstDirection = 0;
    }

    private int pickInstrument()
    {
        double draw = random.nextDouble();
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (draw < cumulativeWeights[i]) {
                return i;
            }
        }
        return cumulativeWeights.length - 1;
    }

    private double volume(AssetClass assetClass, double price)
    {
        return switch (assetClass) {
            // Odd lots, round lots and the occasional block.
            case STOCK -> random.nextDouble() < 0.2 ? 100 * (1 + random.nextInt(10)) : 1 + random.nextInt(99);
            // About 2,000 dollars a trade on average, to five decimals.
            case CRYPTO -> Math.max(roundTo(-Math.log(1 - random.nextDouble()) * 2_000 / price, 5), 0.00001);
            case FX -> 0.0;
        };
    }

    private static double roundTo(double value, int decimals)
    {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
