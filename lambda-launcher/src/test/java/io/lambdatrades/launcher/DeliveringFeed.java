package io.lambdatrades.launcher;

import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.ingest.testing.FinnhubProtocolServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;

/**
 * The trades a test's Finnhub-protocol server delivers, kept as a ledger so that what the system
 * holds can be compared with exactly what it was given: random frames with same-millisecond bursts
 * and trades out of order, bad frames, and a live pace on a thread of its own.
 */
final class DeliveringFeed
{
    private final FinnhubProtocolServer server;
    private final List<String> symbols;
    private final Random random;
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    private long badRecords;
    private long framesSent;

    DeliveringFeed(FinnhubProtocolServer server, List<String> symbols, long seed)
    {
        this.server = server;
        this.symbols = List.copyOf(symbols);
        this.random = new Random(seed);
    }

    /** Waits until the ingester's {@code connections}-th connection is open and subscribed to every symbol. */
    void awaitSubscribed(int connections)
    {
        await().atMost(Duration.ofMinutes(2)).until(() -> server.connections().size() >= connections && server.current().isOpen()
                && server.current().subscriptions().size() == symbols.size());
    }

    /** A frame of 5 to 24 trades between {@code from} and {@code from + span}. */
    void sendTradeFrame(long from, long span)
    {
        List<String> trades = new ArrayList<>();
        int count = 5 + random.nextInt(20);
        long ts = from;
        for (int i = 0; i < count; i++) {
            // Bursts in one millisecond, and some trades out of order.
            ts = random.nextInt(4) == 0 ? ts : from + random.nextLong(Math.max(1, span));
            String symbol = symbols.get(random.nextInt(symbols.size()));
            double volume = symbol.startsWith("OANDA:") ? 0 : Math.round(random.nextDouble() * 1_000) / 100.0;
            trades.add(trade(symbol, Math.round((100 + 10 * random.nextGaussian()) * 100) / 100.0, volume, ts));
        }
        sendFrame(trades);
    }

    /** One trade as a frame of its own. */
    void sendTrade(String symbol, double price, double volume, long ts)
    {
        sendFrame(List.of(trade(symbol, price, volume, ts)));
    }

    /** A trade the contract refuses, a frame cut short (each a dead letter) and a ping (none). */
    synchronized void sendBadFrames()
    {
        server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":-1,\"s\":\"AAPL\",\"t\":" + System.currentTimeMillis() + ",\"v\":1}]}");
        server.current().send("{\"type\":\"trade\",\"data\":[{\"p\":1");
        server.current().send("{\"type\":\"ping\"}");
        badRecords += 2;
        framesSent += 3;
    }

    /** Sends live trades, about 150 a second, until the returned handle is closed. */
    Live live()
    {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            while (running.get()) {
                sendTradeFrame(System.currentTimeMillis() - 50, 40);
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        }, "live-feed");
        sender.start();
        return () -> {
            running.set(false);
            sender.join();
        };
    }

    int deliveredCount()
    {
        return delivered.size();
    }

    synchronized long framesSent()
    {
        return framesSent;
    }

    synchronized long badRecords()
    {
        return badRecords;
    }

    /** The delivered trades that are not among {@code inKafka}, by key. */
    List<String> missingFrom(List<SentTrade> inKafka)
    {
        Map<String, Long> missing = deliveredCounts();
        inKafka.forEach(sent -> missing.merge(key(sent.trade().symbol(), sent.trade().price(), sent.trade().volume(), sent.trade().ts()), -1L, Long::sum));
        List<String> keys = new ArrayList<>();
        missing.forEach((key, count) -> {
            for (long i = 0; i < count; i++) {
                keys.add(key);
            }
        });
        return keys;
    }

    /**
     * Where the delivered trades that are not among {@code inKafka} were in the delivery order. A key
     * delivered more often than Kafka holds it counts its latest deliveries as the missing ones.
     */
    List<Integer> missingIndexesFrom(List<SentTrade> inKafka)
    {
        Map<String, Long> missing = counted(missingFrom(inKafka));
        List<Integer> indexes = new ArrayList<>();
        synchronized (delivered) {
            for (int i = delivered.size() - 1; i >= 0; i--) {
                Long left = missing.get(delivered.get(i));
                if (left != null && left > 0) {
                    missing.put(delivered.get(i), left - 1);
                    indexes.add(0, i);
                }
            }
        }
        return indexes;
    }

    /** Takes back trades delivered to an ingester that lost them, as it said it may have. */
    void forget(List<String> lost)
    {
        lost.forEach(delivered::remove);
    }

    /** Each delivered trade's key (symbol, price, volume, time) with how many times it was delivered. */
    Map<String, Long> deliveredCounts()
    {
        synchronized (delivered) {
            return counted(delivered);
        }
    }

    static String key(String symbol, double price, double volume, long ts)
    {
        return symbol + " " + price + " " + volume + " " + ts;
    }

    static Map<String, Long> counted(List<String> keys)
    {
        Map<String, Long> counts = new HashMap<>();
        keys.forEach(key -> counts.merge(key, 1L, Long::sum));
        return counts;
    }

    private String trade(String symbol, double price, double volume, long ts)
    {
        delivered.add(key(symbol, price, volume, ts));
        return String.format(Locale.ROOT, "{\"p\":%s,\"s\":\"%s\",\"t\":%d,\"v\":%s,\"c\":[\"1\"]}", price, symbol, ts, volume);
    }

    private synchronized void sendFrame(List<String> trades)
    {
        server.current().send("{\"type\":\"trade\",\"data\":[" + String.join(",", trades) + "]}");
        framesSent++;
    }

    /** Stops the live sender and waits for its last frame. */
    interface Live
            extends AutoCloseable
    {
        @Override
        void close()
                throws InterruptedException;
    }
}
