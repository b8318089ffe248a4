package io.lambdatrades.ingest;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/** Counters of one ingester, read by the progress line and by {@code status}. */
public final class IngestMetrics
{
    private final IngestLedger ledger;
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder pings = new LongAdder();
    private final LongAdder unknownMessages = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicLong lastTradeTs = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong lastFrameAt = new AtomicLong(Long.MIN_VALUE);
    private final Map<String, Long> lastTradeTsBySymbol = new ConcurrentHashMap<>();
    private volatile IntSupplier bufferedFrames = () -> 0;

    /** Counters in memory only. */
    public IngestMetrics()
    {
        this(IngestLedger.inMemory());
    }

    /** @param ledger where sent and acknowledged trades are counted */
    public IngestMetrics(IngestLedger ledger)
    {
        this.ledger = requireNonNull(ledger, "ledger is null");
    }

    void recordSent(String symbol, long tradeTs)
    {
        ledger.tradeSent();
        lastTradeTs.accumulateAndGet(tradeTs, Math::max);
        lastTradeTsBySymbol.merge(symbol, tradeTs, Math::max);
    }

    void recordAcknowledged()
    {
        ledger.tradeAcknowledged();
    }

    /** A WebSocket frame buffered, not handled yet. */
    void recordFrameReceived()
    {
        ledger.frameReceived();
    }

    /** A buffered frame whose trades were all sent. */
    void recordFrameHandled()
    {
        ledger.frameHandled();
    }

    void recordDeadLetter()
    {
        deadLetters.increment();
    }

    void recordFailed()
    {
        failed.increment();
    }

    void recordFrame(long receivedAt)
    {
        frames.increment();
        lastFrameAt.set(receivedAt);
    }

    void recordPing()
    {
        pings.increment();
    }

    void recordUnknownMessage()
    {
        unknownMessages.increment();
    }

    void recordReconnect()
    {
        reconnects.increment();
    }

    /** The feed's buffer, shown on the progress line. */
    void bufferedFrames(IntSupplier supplier)
    {
        bufferedFrames = supplier;
    }

    public Snapshot snapshot()
    {
        IngestLedger.Snapshot counted = ledger.snapshot();
        return new Snapshot(counted.tradesSent(), counted.tradesAcknowledged(), deadLetters.sum(), failed.sum(), lastTradeTs.get(),
                frames.sum(), pings.sum(), unknownMessages.sum(), reconnects.sum(), lastFrameAt.get(), bufferedFrames.getAsInt());
    }

    /** Newest trade time per symbol: a symbol that stays silent shows here. */
    public Map<String, Long> lastTradeTsBySymbol()
    {
        return new TreeMap<>(lastTradeTsBySymbol);
    }

    /**
     * @param acknowledged trades Kafka confirmed (acks=all)
     * @param lastTradeTs newest trade time sent, or Long.MIN_VALUE before the first
     * @param frames feed frames received (WebSocket messages, replayed lines); 0 for the simulator
     * @param lastFrameAt epoch ms of the last frame, or Long.MIN_VALUE
     */
    public record Snapshot(
            long sent,
            long acknowledged,
            long deadLetters,
            long failed,
            long lastTradeTs,
            long frames,
            long pings,
            long unknownMessages,
            long reconnects,
            long lastFrameAt,
            int bufferedFrames) {}
}
