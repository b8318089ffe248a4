package io.lambdatrades.launcher.ingest;

import io.lambdatrades.ingest.IngestMetrics;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What {@code lambda ingest --supervised} publishes for {@code lambda up} in {@code <data-dir>/run/ingest.json}:
 * its state and counters, rewritten twice a second and once more as it exits.
 *
 * @param state starting, running, restarting, finished (the feed ended), failed (the feed refused us), stopped
 * @param restarts how many times the ingester restarted its feed inside this JVM
 */
public record IngestReport(String state, String phase, String lastError, long restarts, IngestMetrics.Snapshot metrics, Map<String, Long> lastTradeTsBySymbol)
{
    public static final String FILE = "ingest.json";

    public IngestReport
    {
        requireNonNull(state, "state is null");
        requireNonNull(phase, "phase is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(metrics, "metrics is null");
        lastTradeTsBySymbol = Map.copyOf(requireNonNull(lastTradeTsBySymbol, "lastTradeTsBySymbol is null"));
    }

    public static IngestReport starting()
    {
        return new IngestReport("starting", "starting", "", 0, new IngestMetrics().snapshot(), Map.of());
    }

    static IngestReport of(IngestLayer layer)
    {
        return new IngestReport(layer.state(), layer.phase(), layer.lastError(), layer.restarts(), layer.metrics().snapshot(), layer.metrics().lastTradeTsBySymbol());
    }
}
