package io.lambdatrades.launcher.status;

import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.UnabsorbedTrades;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.scheduler.RetentionLosses;
import io.lambdatrades.scheduler.RunHistory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The batch side of status: the last runs, the next, trades lost to Kafka's retention, and how close the rest are to it. */
public record BatchHistoryProbe(String nextRunAt, List<SystemStatus.Run> lastRuns, Long offsetsLost, Double oldestUnabsorbedHours)
{
    private static final int LAST_RUNS = 5;

    static BatchHistoryProbe probe(PostgresConnection postgres, Optional<String> bootstrapServers, LambdaConfig config, List<String> problems)
    {
        Instant now = Instant.now();
        String nextRunAt = null;
        List<SystemStatus.Run> lastRuns = null;
        Long offsetsLost = null;
        Double oldestHours = null;
        try {
            RunHistory history = new RunHistory(postgres);
            nextRunAt = history.nextClose().map(Instant::toString).orElse(null);
            List<RunHistory.Run> runs = history.last(LAST_RUNS);
            lastRuns = runs.stream()
                    .map(run -> new SystemStatus.Run(run.runId(), run.period().start().toString(), run.trigger(), run.state().value(), run.attempts(),
                            run.duration(now).map(duration -> duration.toMillis() / 1e3).orElse(null), run.error().orElse(null)))
                    .toList();
            runs.stream().filter(run -> run.auditDifferences().isPresent()).findFirst()
                    .filter(run -> run.auditDifferences().get() > 0)
                    .ifPresent(run -> problems.add(String.format(Locale.ROOT, "the audit after batch run %d found %,d bucket(s) of the serving views different "
                            + "from the trades: see lambda audit", run.runId(), run.auditDifferences().get())));
            List<RetentionLosses.Loss> losses = new RetentionLosses(postgres).unacknowledged();
            offsetsLost = losses.stream().mapToLong(RetentionLosses.Loss::offsets).sum();
            if (offsetsLost > 0) {
                problems.add(String.format(Locale.ROOT, "%,d trades were deleted by Kafka before the master dataset absorbed them (%s); "
                        + "they are gone for good: 'lambda batch ack-loss' once understood", offsetsLost, losses.get(0).describe()));
            }
        }
        catch (Exception e) {
            problems.add("cannot read the batch history: " + Failures.oneLine(e));
        }
        if (bootstrapServers.isPresent()) {
            try {
                Optional<UnabsorbedTrades.Oldest> oldest = new UnabsorbedTrades(postgres, bootstrapServers.get(), config.kafka().topic()).oldest();
                if (oldest.isPresent()) {
                    oldestHours = Math.max(0, Duration.between(oldest.get().enteredKafka(), now).toMillis() / 3.6e6);
                    long retentionHours = config.kafka().retention().toHours();
                    if (oldestHours > SystemStatus.Batch.RETENTION_WARNING * retentionHours) {
                        problems.add(String.format(Locale.ROOT, "the oldest of %,d trades not yet absorbed has been in Kafka %.1f h of its %d h retention: "
                                + "run the batch (lambda batch run) before Kafka deletes them", oldest.get().records(), oldestHours, retentionHours));
                    }
                }
            }
            catch (Exception e) {
                problems.add("cannot read the unabsorbed trades: " + Failures.oneLine(e));
            }
        }
        return new BatchHistoryProbe(nextRunAt, lastRuns, offsetsLost, oldestHours);
    }
}
