package io.lambdatrades.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What the ingester has received and what Kafka has acknowledged, counted where a kill -9 cannot
 * lose the count: in a memory-mapped file, whose pages belong to the kernel the moment they are
 * written. After the ingester died, the difference is what it may have lost: the trades sent and not
 * acknowledged, and the frames taken off the WebSocket whose trades were not all sent yet.
 */
public final class IngestLedger
{
    private static final VarHandle COUNTERS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int FRAMES_RECEIVED = 0;
    private static final int FRAMES_HANDLED = 8;
    private static final int TRADES_SENT = 16;
    private static final int TRADES_ACKNOWLEDGED = 24;
    private static final int SIZE = 32;

    private final ByteBuffer counters;

    private IngestLedger(ByteBuffer counters)
    {
        this.counters = counters;
    }

    /** Counters in memory only, for an ingester nobody supervises. */
    public static IngestLedger inMemory()
    {
        return new IngestLedger(ByteBuffer.allocateDirect(SIZE));
    }

    /** Counters in {@code file}, started from zero. */
    public static IngestLedger mapped(Path file)
    {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // The mapping outlives the channel.
                return new IngestLedger(channel.map(FileChannel.MapMode.READ_WRITE, 0, SIZE));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the ingest ledger " + file + ": " + e.getMessage(), e);
        }
    }

    /** The counters a ledger file holds, typically after its ingester died; empty when there is none. */
    public static Optional<Snapshot> read(Path file)
    {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return bytes.length < SIZE ? Optional.empty() : Optional.of(new IngestLedger(ByteBuffer.wrap(bytes)).snapshot());
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the ingest ledger " + file + ": " + e.getMessage(), e);
        }
    }

    void frameReceived()
    {
        increment(FRAMES_RECEIVED);
    }

    void frameHandled()
    {
        increment(FRAMES_HANDLED);
    }

    void tradeSent()
    {
        increment(TRADES_SENT);
    }

    void tradeAcknowledged()
    {
        increment(TRADES_ACKNOWLEDGED);
    }

    public Snapshot snapshot()
    {
        return new Snapshot(get(FRAMES_RECEIVED), get(FRAMES_HANDLED), get(TRADES_SENT), get(TRADES_ACKNOWLEDGED));
    }

    private void increment(int offset)
    {
        COUNTERS.getAndAdd(counters, offset, 1L);
    }

    private long get(int offset)
    {
        return counters.isDirect() ? (long) COUNTERS.getVolatile(counters, offset) : counters.order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    /**
     * @param framesReceived WebSocket frames the feed buffered
     * @param framesHandled buffered frames whose trades were all sent
     * @param tradesSent trades handed to the Kafka producer
     * @param tradesAcknowledged trades Kafka acknowledged (acks=all)
     */
    public record Snapshot(long framesReceived, long framesHandled, long tradesSent, long tradesAcknowledged)
    {
        /** Trades sent that Kafka had not acknowledged: each may or may not be in Kafka. */
        public long tradesInFlight()
        {
            return tradesSent - tradesAcknowledged;
        }

        /** Frames received whose trades were not all sent yet. */
        public long framesUnhandled()
        {
            return Math.max(0, framesReceived - framesHandled);
        }
    }
}
