package io.lambdatrades.batch;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.BatchConfig;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * One batch run: absorb Kafka into the master dataset, recompute the views of every date that has
 * new data or was just closed, publish them to PostgreSQL and advance the cutoff. Each step is
 * recorded in {@code batch_task_runs}; one run at a time.
 */
public final class BatchPipeline
{
    private final SparkSession spark;
    private final BatchConfig config;
    private final PostgresConnection postgres;
    private final String bootstrapServers;
    private final String topic;
    private final BatchProgress progress;

    public BatchPipeline(SparkSession spark, BatchConfig config, PostgresConnection postgres, String bootstrapServers, String topic, BatchProgress progress)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.config = requireNonNull(config, "config is null");
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public BatchResult run(BatchRequest request)
            throws Exception
    {
        try (PipelineLock lock = PipelineLock.acquire(postgres)) {
            BatchRunLog runLog = new BatchRunLog(postgres);
            Instant previousCutoff = readCutoff();
            Instant cutoff = request.cutoff().isAfter(previousCutoff) ? request.cutoff() : previousCutoff;
            long runId = runLog.start(cutoff.minus(config.period()), cutoff, request.trigger());
            try {
                MasterDataset master = MasterDataset.ensure(spark, config.warehouseDir());
                AbsorbLedger ledger = new AbsorbLedger(postgres);
                Absorber.AbsorbResult absorbed = task(runLog, runId, "absorb",
                        () -> new Absorber(spark, master, ledger, bootstrapServers, topic, progress).run());
                SortedSet<String> dates = task(runLog, runId, "views", () -> computeViews(master, ledger, request, previousCutoff, cutoff));
                Map<String, Long> published = task(runLog, runId, "publish",
                        () -> new ViewPublisher(postgres, new ViewStore(spark, config.viewsDir())).publish(dates, cutoff, config.period()));
                progress.step(BatchProgress.Step.PUBLISHED, "published " + published + "; cutoff " + cutoff);
                runLog.ended(runId, null);
                return new BatchResult(runId, absorbed.trades(), dates, cutoff, published);
            }
            catch (Exception e) {
                runLog.ended(runId, String.valueOf(e.getMessage()));
                throw e;
            }
        }
    }

    private SortedSet<String> computeViews(MasterDataset master, AbsorbLedger ledger, BatchRequest request, Instant previousCutoff, Instant cutoff)
            throws SQLException, IOException, InterruptedException
    {
        SortedSet<String> stored = master.tradeDates();
        Set<String> candidates = new TreeSet<>(request.backfill());
        ledger.dirtyDates().forEach(date -> candidates.add(date.toString()));
        for (String date : stored) {
            if (dayEnd(date).isAfter(previousCutoff)) {
                candidates.add(date);
            }
        }
        SortedSet<String> dates = new TreeSet<>();
        for (String date : candidates) {
            if (stored.contains(date) && dayStart(date).isBefore(cutoff)) {
                dates.add(date);
            }
        }
        if (dates.isEmpty()) {
            progress.step(BatchProgress.Step.VIEWS_DONE, "no closed period has new data");
            return dates;
        }
        new ViewBuilder(new ViewStore(spark, config.viewsDir())).build(master.read(dates), cutoff);
        progress.step(BatchProgress.Step.VIEWS_DONE, String.format(Locale.ROOT, "views recomputed for %d date(s): %s", dates.size(), String.join(", ", dates)));
        return dates;
    }

    private Instant readCutoff()
            throws SQLException
    {
        try (Connection connection = postgres.open();
                PreparedStatement statement = connection.prepareStatement("SELECT cutoff_ts FROM lambda.cutoff");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getTimestamp(1).toInstant();
        }
    }

    private static <T> T task(BatchRunLog runLog, long runId, String name, Task<T> task)
            throws Exception
    {
        runLog.taskStarted(runId, name);
        try {
            T result = task.run();
            runLog.taskEnded(runId, name, null);
            return result;
        }
        catch (Exception e) {
            runLog.taskEnded(runId, name, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    private static Instant dayStart(String date)
    {
        return LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static Instant dayEnd(String date)
    {
        return LocalDate.parse(date).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @FunctionalInterface
    private interface Task<T>
    {
        T run()
                throws Exception;
    }

    /** @param published rows loaded into each PostgreSQL table */
    public record BatchResult(long runId, long absorbedTrades, SortedSet<String> viewDates, Instant cutoff, Map<String, Long> published)
    {
        public BatchResult
        {
            viewDates = new TreeSet<>(viewDates);
            published = Map.copyOf(published);
        }
    }
}
