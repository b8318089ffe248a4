package io.lambdatrades.serving;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Encoded answers of read requests, kept until the data changes: an entry is valid while the live
 * stream's version (bumped by every speed commit and publish) is the one it was computed at, and for
 * at most {@code maxAgeMs} (should notifications stop, as while PostgreSQL restarts). Many clients
 * polling the same list then cost one query per change, not one each.
 */
final class ResponseCache
{
    private static final int MAX_ENTRIES = 2_000;

    private final LongSupplier version;
    private final long maxAgeMs;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    ResponseCache(LongSupplier version, long maxAgeMs)
    {
        this.version = requireNonNull(version, "version is null");
        this.maxAgeMs = maxAgeMs;
    }

    interface Loader
    {
        byte[] load()
                throws Exception;
    }

    byte[] get(String key, Loader loader)
            throws Exception
    {
        long current = version.getAsLong();
        long now = System.currentTimeMillis();
        Entry entry = entries.get(key);
        if (entry != null && entry.version() == current && now - entry.loadedAt() <= maxAgeMs) {
            return entry.bytes();
        }
        byte[] bytes = loader.load();
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, new Entry(current, now, bytes));
        return bytes;
    }

    private record Entry(long version, long loadedAt, byte[] bytes) {}
}
