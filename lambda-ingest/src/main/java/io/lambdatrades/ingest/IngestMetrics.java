package io.lambdatrades.ingest;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one ingester, read by the progress line and by {@code status}. */
public final class IngestMetrics
{
    private final LongAdder sent = new LongAdder();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final AtomicLong lastTradeTs = new AtomicLong(Long.MIN_VALUE);

    void recordSent(long tradeTs)
    {
        sent.increment();
        lastTradeTs.accumulateAndGet(tradeTs, Math::max);
    }

    void recordAcknowledged()
    {
        acknowledged.increment();
    }

    void recordDeadLetter()
    {
        deadLetters.increment();
    }

    void recordFailed()
    {
        failed.increment();
    }

    public Snapshot snapshot()
    {
        return new Snapshot(sent.sum(), acknowledged.sum(), deadLetters.sum(), failed.sum(), lastTradeTs.get());
    }

    /**
     * @param acknowledged trades Kafka confirmed (acks=all)
     * @param lastTradeTs newest trade time sent, or Long.MIN_VALUE before the first
     */
    public record Snapshot(long sent, long acknowledged, long deadLetters, long failed, long lastTradeTs) {}
}
