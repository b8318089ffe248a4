package io.lambdatrades.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    /** @param unfinished requests still waiting when the run gave up on them: the rate was not sustained */
    record Result(String name, int rate, Histogram latencies, long errors, long unfinished, String firstError, String cpu)
    {
        String describe()
        {
            return String.format(Locale.ROOT, "%-34s %,6d req/s: p50 %8.2f ms, p99 %8.2f ms, max %8.2f ms, %,d requests, %d errors%s",
                    name, rate, latencies.getValueAtPercentile(50) / 1e3, latencies.getValueAtPercentile(99) / 1e3, latencies.getMaxValue() / 1e3,
                    latencies.getTotalCount(), errors, unfinished == 0 ? "" : String.format(Locale.ROOT, ", %,d unfinished 10 s after the end: NOT sustained", unfinished))
                    + (firstError == null ? "" : " (first error: " + firstError + ")") + "; " + cpu;
        }
    }

    /** @param request starts one request; its future fails on an error */
    static Result run(String name, int rate, int seconds, Supplier<CompletableFuture<?>> request)
    {
        Histogram latencies = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong errors = new AtomicLong();
        AtomicLong pending = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long count = (long) rate * seconds;
        CpuUse before = CpuUse.now();
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
                    firstError.compareAndSet(null, String.valueOf(failure.getCause() == null ? failure : failure.getCause()));
                }
                pending.decrementAndGet();
            });
        }
        String cpu = CpuUse.now().describeSince(before);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.get() > 0 && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        return new Result(name, rate, latencies, errors.get(), pending.get(), firstError.get(), cpu);
    }
}
