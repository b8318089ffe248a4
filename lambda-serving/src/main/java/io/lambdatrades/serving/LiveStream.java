package io.lambdatrades.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.SpeedCommitNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The live push (SSE): for each speed-layer commit, the trades it inserted and the minute candles they
 * changed, read once and fanned out to every client; a publish is announced so that clients reload
 * history. Event ids are each partition's next offset, so a client that reconnects with
 * {@code Last-Event-ID} gets what it missed (as long as the speed layer still holds it), then the live events.
 */
public final class LiveStream
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
    private static final ObjectMapper JSON = ServingJson.mapper();
    private static final int WRITER_THREADS = 8;
    private static final long STUCK_AFTER_MS = 10_000;
    private static final long KEEPALIVE_SECONDS = 5;
    static final int BACKLOG_LIMIT = 10_000;

    private final ServingQueries queries;
    private final int clientBuffer;
    private final List<StreamClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger writerThreads = new AtomicInteger();
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITER_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "lambda-stream-writer-" + writerThreads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final ScheduledExecutorService keepalive = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lambda-stream-keepalive");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Integer, Long> nextOffsets = new TreeMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();

    public LiveStream(ServingQueries queries, int clientBuffer)
    {
        this.queries = requireNonNull(queries, "queries is null");
        this.clientBuffer = clientBuffer;
        byte[] comment = ": keepalive\n\n".getBytes(StandardCharsets.UTF_8);
        keepalive.scheduleAtFixedRate(() -> broadcast(new StreamFrame(comment, List.of())), KEEPALIVE_SECONDS, KEEPALIVE_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Registers a connected client whose response headers are sent.
     *
     * @param lastEventId the id the client saw last, to resume after; null for live events only
     * @param symbols the symbols it wants; empty for all
     */
    public void connect(OutputStream output, Runnable closeConnection, CompletableFuture<Void> done, String lastEventId, Set<String> symbols)
    {
        Map<Integer, Long> resumeAfter = lastEventId == null || lastEventId.isBlank() ? null : parseEventId(lastEventId);
        StreamClient client = new StreamClient(output, closeConnection, done, symbols, clientBuffer, STUCK_AFTER_MS, writers, resumeAfter != null);
        clients.add(client);
        done.whenComplete((ignored, failure) -> clients.remove(client));
        byte[] hello = ("retry: 1000\nevent: hello\ndata: {\"clients\":" + clients.size() + "}\n\n").getBytes(StandardCharsets.UTF_8);
        client.offer(new StreamFrame(hello, List.of()), System.currentTimeMillis());
        if (resumeAfter != null) {
            writers.execute(() -> sendBacklog(client, resumeAfter));
        }
    }

    private void sendBacklog(StreamClient client, Map<Integer, Long> resumeAfter)
    {
        try {
            List<EnrichedTrade> trades = queries.tradesAfter(resumeAfter, BACKLOG_LIMIT).stream()
                    .filter(trade -> client.symbols().isEmpty() || client.symbols().contains(trade.symbol()))
                    .toList();
            Map<Integer, Long> sentUpTo = new TreeMap<>(resumeAfter);
            trades.forEach(trade -> sentUpTo.merge(trade.partition(), trade.offset() + 1, Math::max));
            client.release(new StreamFrame(event(eventId(sentUpTo), "trades", Map.of("trades", trades, "resumed", true)), List.of()), sentUpTo);
        }
        catch (SQLException | RuntimeException e) {
            log.warn("Cannot resume a stream client: {}", e.getMessage());
            client.drop();
        }
    }

    /** A speed-layer commit (or several, coalesced): read its trades and candles once, send them to every client. */
    public void onCommit(SpeedCommitNotification commit)
            throws SQLException
    {
        version.incrementAndGet();
        if (clients.isEmpty()) {
            advance(commit);
            return;
        }
        List<EnrichedTrade> trades = queries.committedTrades(commit);
        Set<String> symbols = new LinkedHashSet<>();
        List<Instant> buckets = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (EnrichedTrade trade : trades) {
            long minute = Math.floorDiv(trade.tsMs(), 60_000L) * 60_000L;
            if (seen.add(trade.symbol() + "@" + minute)) {
                symbols.add(trade.symbol());
                buckets.add(Instant.ofEpochMilli(minute));
            }
        }
        List<String> bucketSymbols = seen.stream().map(key -> key.substring(0, key.lastIndexOf('@'))).toList();
        List<AggregateRow> candles = trades.isEmpty() ? List.of() : queries.minutes(bucketSymbols, buckets);
        String id = advance(commit);
        Map<Set<String>, StreamFrame> frames = new HashMap<>();
        long now = System.currentTimeMillis();
        for (StreamClient client : clients) {
            StreamFrame frame = frames.computeIfAbsent(client.symbols(), wanted -> commitFrame(id, commit, trades, candles, wanted));
            if (frame != null && !client.offer(frame, now)) {
                dropped.incrementAndGet();
            }
        }
        eventsSent.incrementAndGet();
    }

    /** A publish moved the cutoff: the batch views changed. */
    public void onPublish(String cutoff)
    {
        version.incrementAndGet();
        broadcast(new StreamFrame(event(null, "publish", Map.of("cutoff", cutoff)), List.of()));
    }

    private void broadcast(StreamFrame frame)
    {
        long now = System.currentTimeMillis();
        for (StreamClient client : clients) {
            if (!client.offer(frame, now)) {
                dropped.incrementAndGet();
            }
        }
    }

    private synchronized String advance(SpeedCommitNotification commit)
    {
        commit.ranges().forEach(range -> nextOffsets.merge(range.partition(), range.last() + 1, Math::max));
        return eventId(nextOffsets);
    }

    /** Null when none of the wanted symbols traded in the commit. */
    private static StreamFrame commitFrame(String id, SpeedCommitNotification commit, List<EnrichedTrade> trades, List<AggregateRow> candles, Set<String> wanted)
    {
        List<EnrichedTrade> theirTrades = wanted.isEmpty() ? trades : trades.stream().filter(trade -> wanted.contains(trade.symbol())).toList();
        if (theirTrades.isEmpty()) {
            return null;
        }
        List<AggregateRow> theirCandles = wanted.isEmpty() ? candles : candles.stream().filter(candle -> wanted.contains(candle.symbol())).toList();
        byte[] tradesEvent = event(id, "trades", Map.of("trades", theirTrades));
        byte[] candlesEvent = event(null, "candles", Map.of("candles", theirCandles));
        byte[] bytes = new byte[tradesEvent.length + candlesEvent.length];
        System.arraycopy(tradesEvent, 0, bytes, 0, tradesEvent.length);
        System.arraycopy(candlesEvent, 0, bytes, tradesEvent.length, candlesEvent.length);
        return new StreamFrame(bytes, commit.ranges());
    }

    private static byte[] event(String id, String name, Object data)
    {
        try {
            String json = JSON.writeValueAsString(data);
            return ((id == null ? "" : "id: " + id + "\n") + "event: " + name + "\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a stream event: " + e.getMessage(), e);
        }
    }

    static String eventId(Map<Integer, Long> nextOffsets)
    {
        return nextOffsets.entrySet().stream().map(entry -> entry.getKey() + ":" + entry.getValue()).collect(Collectors.joining(","));
    }

    /** The next offset per partition an event id names. */
    static Map<Integer, Long> parseEventId(String id)
    {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        try {
            for (String part : id.trim().split(",")) {
                String[] fields = part.split(":");
                if (fields.length != 2) {
                    throw new IllegalArgumentException(part);
                }
                long offset = Long.parseLong(fields[1].trim());
                int partition = Integer.parseInt(fields[0].trim());
                if (partition < 0 || offset < 0) {
                    throw new IllegalArgumentException(part);
                }
                offsets.put(partition, offset);
            }
        }
        catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Last-Event-ID", "must be an id this stream sent (partition:next-offset pairs, as '0:120,1:98'), not '" + id + "'");
        }
        return offsets;
    }

    /** Changes with every commit and publish: responses computed before a change are stale. */
    public long version()
    {
        return version.get();
    }

    public int clients()
    {
        return clients.size();
    }

    public long droppedClients()
    {
        return dropped.get();
    }

    public long eventsSent()
    {
        return eventsSent.get();
    }

    @Override
    public void close()
    {
        keepalive.shutdownNow();
        clients.forEach(StreamClient::drop);
        writers.shutdownNow();
    }
}
