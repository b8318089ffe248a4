package io.lambdatrades.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cores busy between two readings: the whole machine's (Linux's /proc/stat) and this JVM's own,
 * so that a latency is read beside how saturated the machine was and by whom.
 */
record CpuUse(long machineBusyTicks, long machineTicks, long jvmCpuNanos, long wallNanos)
{
    private static final Path PROC_STAT = Path.of("/proc/stat");

    static CpuUse now()
    {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        try {
            // "cpu user nice system idle iowait irq softirq steal ...": idle and iowait are the time not busy.
            long[] ticks = Arrays.stream(Files.readAllLines(PROC_STAT).get(0).trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
            long total = Arrays.stream(ticks).limit(8).sum();
            return new CpuUse(total - ticks[3] - ticks[4], total, jvm, System.nanoTime());
        }
        catch (IOException | RuntimeException e) {
            return new CpuUse(-1, -1, jvm, System.nanoTime());
        }
    }

    /** "cores busy 1.62 of 2 (this JVM 1.10)" since {@code before}. */
    String describeSince(CpuUse before)
    {
        double seconds = (wallNanos - before.wallNanos) / 1e9;
        String jvm = String.format(Locale.ROOT, "this JVM %.2f", (jvmCpuNanos - before.jvmCpuNanos) / 1e9 / seconds);
        if (machineTicks < 0 || before.machineTicks < 0) {
            return "cores busy: " + jvm;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        double busy = (double) (machineBusyTicks - before.machineBusyTicks) / (machineTicks - before.machineTicks) * cores;
        return String.format(Locale.ROOT, "cores busy %.2f of %d (%s)", busy, cores, jvm);
    }
}
