package io.lambdatrades.serving;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Encoded answers of read requests, so that many clients asking the same thing cost one query per
 * change, not one each. An answer is reused while the data has not changed since it was computed (the
 * live stream's version, bumped by every speed commit and publish), or while it is younger than
 * {@code minRefreshMs} (commits come ten times a second), and never once older than {@code maxAgeMs}.
 * One request recomputes a key at a time; the others meanwhile get the previous answer, or wait for the
 * new one when the previous is older than {@code maxAgeMs}. Without that, every commit made all waiting
 * requests query at once, and they timed out waiting for the pool.
 */
final class ResponseCache
{
    private static final int MAX_ENTRIES = 2_000;

    private final boolean enabled;
    private final LongSupplier version;
    private final long minRefreshMs;
    private final long maxAgeMs;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> loading = new ConcurrentHashMap<>();

    ResponseCache(LongSupplier version, long minRefreshMs, long maxAgeMs)
    {
        this(true, version, minRefreshMs, maxAgeMs);
    }

    private ResponseCache(boolean enabled, LongSupplier version, long minRefreshMs, long maxAgeMs)
    {
        this.enabled = enabled;
        this.version = requireNonNull(version, "version is null");
        this.minRefreshMs = minRefreshMs;
        this.maxAgeMs = maxAgeMs;
    }

    /** Every request queries: what a BI tool reading the views pays (serving.cache=false). */
    static ResponseCache uncached()
    {
        return new ResponseCache(false, () -> 0, 0, 0);
    }

    boolean enabled()
    {
        return enabled;
    }

    interface Loader
    {
        byte[] load()
                throws Exception;
    }

    byte[] get(String key, Loader loader)
            throws Exception
    {
        if (!enabled) {
            return loader.load();
        }
        long now = System.currentTimeMillis();
        Entry entry = entries.get(key);
        if (entry != null && reusable(entry, version.getAsLong(), now)) {
            return entry.bytes();
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            if (entry != null && now - entry.loadedAt() <= maxAgeMs) {
                return entry.bytes();
            }
            return await(running);
        }
        try {
            long computedAt = version.getAsLong();
            byte[] bytes = loader.load();
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry(computedAt, System.currentTimeMillis(), bytes));
            mine.complete(bytes);
            return bytes;
        }
        catch (Exception e) {
            mine.completeExceptionally(e);
            throw e;
        }
        finally {
            loading.remove(key, mine);
        }
    }

    private static byte[] await(CompletableFuture<byte[]> running)
            throws Exception
    {
        try {
            return running.get();
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private boolean reusable(Entry entry, long currentVersion, long now)
    {
        long age = now - entry.loadedAt();
        return age <= maxAgeMs && (entry.version() == currentVersion || age < minRefreshMs);
    }

    private record Entry(long version, long loadedAt, byte[] bytes) {}
}
