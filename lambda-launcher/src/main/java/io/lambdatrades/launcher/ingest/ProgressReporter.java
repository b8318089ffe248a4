package io.lambdatrades.launcher.ingest;

import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.launcher.Console;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The live progress line of {@code up}: trades per second, total, dead letters. Printed every
 * second on a terminal, every ten seconds elsewhere, and at once when the first trade is in Kafka.
 */
public final class ProgressReporter
{
    private static final int QUIET_EVERY = 10;

    private final IngestView ingest;
    private final String source;
    private final Console console;
    private long lastAcknowledged;
    private long lastNanos = System.nanoTime();
    private double tradesPerSecond;
    private long ticks;
    private boolean announced;

    public ProgressReporter(IngestView ingest, String source, Console console)
    {
        this.ingest = requireNonNull(ingest, "ingest is null");
        this.source = requireNonNull(source, "source is null");
        this.console = requireNonNull(console, "console is null");
    }

    public synchronized void tick()
    {
        IngestMetrics.Snapshot snapshot = ingest.snapshot();
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        tradesPerSecond = seconds > 0 ? (snapshot.acknowledged() - lastAcknowledged) / seconds : 0;
        lastAcknowledged = snapshot.acknowledged();
        lastNanos = now;
        ticks++;
        boolean first = !announced && snapshot.acknowledged() > 0;
        if (first || console.terminal() || ticks % QUIET_EVERY == 0) {
            announced |= first;
            console.progress(line(snapshot));
        }
    }

    public synchronized double tradesPerSecond()
    {
        return tradesPerSecond;
    }

    private String line(IngestMetrics.Snapshot snapshot)
    {
        String state = switch (ingest.state()) {
            case "running" -> snapshot.acknowledged() > 0 ? "ingesting" : "starting";
            case "restarting" -> "restarting (" + ingest.lastError() + ")";
            default -> ingest.state();
        };
        String feed = snapshot.frames() == 0 ? "" : String.format(Locale.ROOT, "  frames %,d  buffer %,d  reconnects %,d", snapshot.frames(), snapshot.bufferedFrames(), snapshot.reconnects());
        return String.format(Locale.ROOT, "%s  %s %s  %,.0f trades/s  total %,d  dlq %,d%s",
                state, source, ingest.phase(), tradesPerSecond, snapshot.acknowledged(), snapshot.deadLetters(), feed);
    }
}
