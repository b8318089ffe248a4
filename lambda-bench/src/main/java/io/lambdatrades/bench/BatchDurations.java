package io.lambdatrades.bench;

import org.apache.spark.sql.streaming.StreamingQueryListener;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Spark's own split of each micro-batch's time ({@code durationMs}), its mean and maximum over the batches of a run. */
final class BatchDurations
        extends StreamingQueryListener
{
    private final Map<String, Long> totals = new TreeMap<>();
    private final Map<String, Long> maxima = new TreeMap<>();
    private long batches;

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public synchronized void onQueryProgress(QueryProgressEvent event)
    {
        if (event.progress().numInputRows() == 0) {
            return;
        }
        batches++;
        event.progress().durationMs().forEach((phase, millis) -> {
            totals.merge(phase, millis, Long::sum);
            maxima.merge(phase, millis, Math::max);
        });
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}

    synchronized void reset()
    {
        totals.clear();
        maxima.clear();
        batches = 0;
    }

    synchronized String describe()
    {
        long count = Math.max(1, batches);
        return batches + " batches, mean / max ms: " + totals.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue() / count + " / " + maxima.get(entry.getKey()))
                .collect(Collectors.joining(", "));
    }
}
