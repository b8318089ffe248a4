package io.lambdatrades.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An open-loop load: requests start at a fixed rate whatever the answers do, and each latency is
 * measured from when its request was due, so that a stall counts for every request it delayed
 * (no coordinated omission).
 */
final class OpenLoad
{
    private OpenLoad() {}

    record Result(String name, int rate, Histogram latencies, long errors)
    {
        String describe()
        {
            return String.format(Locale.ROOT, "%-34s %,6d req/s: p50 %6.2f ms, p99 %6.2f ms, max %7.2f ms, %,d requests, %d errors",
                    name, rate, latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3, latencies.getMaxValue() / 1e3,
                    latencies.getTotalCount(), errors);
        }
    }

    /** @param request starts one request; its future fails on an error */
    static Result run(String name, int rate, int seconds, Supplier<CompletableFuture<?>> request)
    {
        Histogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong pending = new AtomicLong();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long count = (long) rate * seconds;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 20_000) {
                LockSupport.parkNanos(wait);
            }
            pending.incrementAndGet();
            request.get().whenComplete((ignored, failure) -> {
                latencies.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
                if (failure != null) {
                    errors.incrementAndGet();
                }
                pending.decrementAndGet();
            });
        }
        while (pending.get() > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return new Result(name, rate, latencies, errors.get());
    }
}
