package io.lambdatrades.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static java.util.Objects.requireNonNull;

/**
 * One connected stream client: a bounded queue of frames written by a shared pool, so that a slow
 * client only ever delays itself. A client that falls {@code buffer} frames behind, or whose write
 * has been stuck for {@code stuckAfterMs}, is dropped (its connection closed), never waited for.
 */
final class StreamClient
{
    private final OutputStream output;
    private final Runnable closeConnection;
    private final CompletableFuture<Void> done;
    private final Set<String> symbols;
    private final int buffer;
    private final long stuckAfterMs;
    private final Executor writers;
    private final ArrayDeque<StreamFrame> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean held;
    private long writeStartedAt;
    private boolean closed;
    // Frames wholly below these next offsets were sent in a resumed client's backlog.
    private Map<Integer, Long> floor = Map.of();

    /**
     * @param symbols the symbols this client asked for; empty for all
     * @param held whether frames wait (a resuming client's backlog is sent first)
     */
    StreamClient(OutputStream output, Runnable closeConnection, CompletableFuture<Void> done, Set<String> symbols, int buffer, long stuckAfterMs,
            Executor writers, boolean held)
    {
        this.output = requireNonNull(output, "output is null");
        this.closeConnection = requireNonNull(closeConnection, "closeConnection is null");
        this.done = requireNonNull(done, "done is null");
        this.symbols = Set.copyOf(requireNonNull(symbols, "symbols is null"));
        this.buffer = buffer;
        this.stuckAfterMs = stuckAfterMs;
        this.writers = requireNonNull(writers, "writers is null");
        this.held = held;
    }

    Set<String> symbols()
    {
        return symbols;
    }

    /** @return false when this frame made the client be dropped (too far behind, or its write stuck); a closed client ignores it */
    boolean offer(StreamFrame frame, long now)
    {
        synchronized (this) {
            if (closed) {
                return true;
            }
            if (queue.size() >= buffer || writing && now - writeStartedAt > stuckAfterMs) {
                closed = true;
            }
            else {
                queue.add(frame);
                if (!writing && !held) {
                    writing = true;
                    writeStartedAt = now;
                    writers.execute(this::drain);
                }
                return true;
            }
        }
        drop();
        return false;
    }

    /** Sends the backlog of a resuming client, then what queued meanwhile beyond it. */
    void release(StreamFrame backlog, Map<Integer, Long> sentUpTo)
    {
        synchronized (this) {
            if (closed) {
                return;
            }
            floor = Map.copyOf(sentUpTo);
            queue.addFirst(backlog);
            held = false;
            writing = true;
            writeStartedAt = System.currentTimeMillis();
        }
        writers.execute(this::drain);
    }

    private void drain()
    {
        while (true) {
            StreamFrame frame;
            synchronized (this) {
                frame = queue.poll();
                if (frame == null || closed) {
                    writing = false;
                    return;
                }
                writeStartedAt = System.currentTimeMillis();
            }
            if (frame.below(floor)) {
                continue;
            }
            try {
                output.write(frame.bytes());
                output.flush();
            }
            catch (IOException | RuntimeException e) {
                synchronized (this) {
                    closed = true;
                    writing = false;
                }
                drop();
                return;
            }
        }
    }

    boolean isClosed()
    {
        synchronized (this) {
            return closed;
        }
    }

    /** Closes the connection: a write blocked on it fails at once, freeing its thread. */
    void drop()
    {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
        try {
            closeConnection.run();
        }
        finally {
            done.complete(null);
        }
    }
}
