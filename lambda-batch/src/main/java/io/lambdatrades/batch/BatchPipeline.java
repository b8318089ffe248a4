package io.lambdatrades.batch;

import io.lambdatrades.batch.audit.AuditReport;
import io.lambdatrades.batch.audit.AuditScope;
import io.lambdatrades.batch.audit.ServingAudit;
import io.lambdatrades.common.Failures;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.BatchConfig;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A batch run: absorb Kafka into the master dataset, recompute the views of every date that has new
 * data or was just closed, publish them to PostgreSQL and advance the cutoff. Each task is recorded in
 * {@code batch_task_runs}; a run resumed after a failure continues from its first unfinished task.
 * One run at a time per database. Spark starts only when there is something to absorb or recompute.
 */
public final class BatchPipeline
{
    // A run's audit waits this long for the speed layer; what it has not written by then is left out, not a difference.
    private static final Duration RUN_AUDIT_SPEED_WAIT = Duration.ofSeconds(10);

    private final Supplier<SparkSession> spark;
    private final BatchConfig config;
    private final PostgresConnection postgres;
    private final String bootstrapServers;
    private final String topic;
    private final BatchProgress progress;
    private final BatchRunLog runLog;
    private final AbsorbLedger ledger;

    /** @param spark called when Spark is first needed; the caller owns the session */
    public BatchPipeline(Supplier<SparkSession> spark, BatchConfig config, PostgresConnection postgres, String bootstrapServers, String topic, BatchProgress progress)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.config = requireNonNull(config, "config is null");
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.runLog = new BatchRunLog(postgres);
        this.ledger = new AbsorbLedger(postgres);
    }

    /** A new run with every task, recorded in the history as it goes. */
    public BatchResult run(BatchRequest request)
            throws Exception
    {
        try (PipelineLock lock = PipelineLock.acquire(postgres)) {
            Instant previousCutoff = readCutoff();
            Instant cutoff = request.cutoff().isAfter(previousCutoff) ? request.cutoff() : previousCutoff;
            long runId = runLog.start(cutoff.minus(config.period()), cutoff, request.trigger(), request.backfillFrom(), request.backfillTo());
            return execute(runLog.read(runId), tasks(), true);
        }
    }

    /** A run already in the history (queued by the scheduler): its tasks that have not succeeded yet. */
    public BatchResult resume(long runId)
            throws Exception
    {
        try (PipelineLock lock = PipelineLock.acquire(postgres)) {
            BatchRunLog.RunRecord run = runLog.read(runId);
            runLog.running(runId);
            return execute(run, run.remaining(tasks()), true);
        }
    }

    /**
     * One task of the run an external orchestrator drives for a period; the publish ends the run.
     *
     * @param request the period's request ({@link BatchRequest#period})
     */
    public BatchResult task(BatchTask task, BatchRequest request)
            throws Exception
    {
        try (PipelineLock lock = PipelineLock.acquire(postgres)) {
            long runId = runLog.externalRun(request.cutoff().minus(config.period()), request.cutoff());
            runLog.running(runId);
            return execute(runLog.read(runId), List.of(task), task == BatchTask.PUBLISH);
        }
    }

    private BatchResult execute(BatchRunLog.RunRecord run, List<BatchTask> tasks, boolean endsRun)
            throws Exception
    {
        long runId = run.runId();
        try {
            Instant previousCutoff = readCutoff();
            Instant cutoff = run.periodEnd().isAfter(previousCutoff) ? run.periodEnd() : previousCutoff;
            Absorber.AbsorbResult absorbed = Absorber.AbsorbResult.nothing(List.of());
            if (tasks.contains(BatchTask.ABSORB)) {
                absorbed = task(runId, BatchTask.ABSORB, this::absorb);
                runLog.absorbed(runId, absorbed);
            }
            SortedSet<String> dates = run.viewDates().orElseGet(TreeSet::new);
            if (tasks.contains(BatchTask.VIEWS)) {
                dates = task(runId, BatchTask.VIEWS, () -> computeViews(run.request(), previousCutoff, cutoff));
                runLog.viewsComputed(runId, dates);
            }
            else if (tasks.contains(BatchTask.PUBLISH) && run.viewDates().isEmpty()) {
                throw new IllegalStateException("run " + runId + " has not computed its views yet: run its views task first");
            }
            Map<String, Long> published = Map.of();
            if (tasks.contains(BatchTask.PUBLISH)) {
                SortedSet<String> publishing = dates;
                published = task(runId, BatchTask.PUBLISH, () -> new ViewPublisher(postgres, topic, () -> new ViewStore(spark.get(), config.viewsDir()))
                        .publish(publishing, cutoff, config.period()));
                runLog.published(runId, published.values().stream().mapToLong(Long::longValue).sum());
                progress.step(BatchProgress.Step.PUBLISHED, "published " + published + "; cutoff " + cutoff);
            }
            Optional<AuditReport> audit = Optional.empty();
            if (tasks.contains(BatchTask.AUDIT)) {
                SortedSet<String> audited = auditedDates(dates, cutoff);
                audit = Optional.of(task(runId, BatchTask.AUDIT, () -> audit(AuditScope.of(audited.stream().map(LocalDate::parse)
                        .collect(Collectors.toCollection(TreeSet::new))), RUN_AUDIT_SPEED_WAIT)));
                runLog.audited(runId, audited, audit.get().differences().size());
                progress.step(BatchProgress.Step.AUDITED, (audit.get().exact()
                        ? "the serving views equal the trades for " + String.join(", ", audited)
                        : audit.get().differences().size() + " bucket(s) of the serving views differ from the trades: see lambda audit --date D")
                        + (audit.get().lag().isEmpty() ? "" : String.format(Locale.ROOT, " (%,d trades the speed layer had not written yet left out)", audit.get().lagTrades())));
            }
            if (endsRun) {
                runLog.ended(runId, null);
            }
            return new BatchResult(runId, absorbed.trades(), absorbed.expired(), dates, cutoff, published, audit);
        }
        catch (Exception e) {
            runLog.ended(runId, Failures.oneLine(e));
            throw e;
        }
    }

    /**
     * {@code lambda audit}: the serving views against the trades, once the batch run in progress, if
     * any, has finished; no run starts meanwhile.
     *
     * @param waitForRun how long to wait for a run in progress
     * @param waitForSpeed how long to wait for the speed layer to write what Kafka holds
     */
    public AuditReport audit(AuditScope scope, Duration waitForRun, Duration waitForSpeed)
            throws Exception
    {
        try (PipelineLock lock = PipelineLock.await(postgres, waitForRun)) {
            return audit(scope, waitForSpeed);
        }
    }

    private AuditReport audit(AuditScope scope, Duration waitForSpeed)
            throws SQLException, InterruptedException
    {
        SortedSet<String> installed = ledger.installedDates();
        return new ServingAudit(spark.get(), MasterDataset.ensure(spark.get(), config.warehouseDir()), postgres, bootstrapServers, topic,
                audited -> audited.everyDayWithData() ? installed
                        : audited.days().stream().map(LocalDate::toString).filter(installed::contains).toList())
                .run(scope, waitForSpeed);
    }

    // The dates just published and the day the cutoff falls in, where the batch and speed paths meet.
    private static SortedSet<String> auditedDates(SortedSet<String> published, Instant cutoff)
    {
        SortedSet<String> dates = new TreeSet<>(published);
        dates.add(LocalDate.ofInstant(cutoff, ZoneOffset.UTC).toString());
        return dates;
    }

    private List<BatchTask> tasks()
    {
        return Arrays.stream(BatchTask.values()).filter(task -> config.audit() || task != BatchTask.AUDIT).toList();
    }

    private Absorber.AbsorbResult absorb()
            throws SQLException, IOException
    {
        Absorber.AbsorbResult result;
        AbsorbBacklog backlog = ledger.pendingInstalls().isEmpty() ? AbsorbBacklog.read(ledger, bootstrapServers, topic) : null;
        if (backlog != null && backlog.records() == 0) {
            progress.step(BatchProgress.Step.ABSORB_DONE, "no new records in " + topic);
            result = Absorber.AbsorbResult.nothing(backlog.expired());
        }
        else {
            result = new Absorber(spark.get(), MasterDataset.ensure(spark.get(), config.warehouseDir()), ledger, bootstrapServers, topic, progress).run();
        }
        if (!result.expired().isEmpty()) {
            progress.step(BatchProgress.Step.ABSORB_DONE, String.format(Locale.ROOT, "%,d offsets expired from Kafka before the master dataset absorbed them: %s",
                    result.expired().stream().mapToLong(AbsorbBacklog.ExpiredOffsets::count).sum(),
                    result.expired().stream().map(gone -> "partition " + gone.partition() + " offsets " + gone.first() + "-" + gone.last()).collect(Collectors.joining(", "))));
        }
        return result;
    }

    private SortedSet<String> computeViews(BatchRequest request, Instant previousCutoff, Instant cutoff)
            throws SQLException, IOException, InterruptedException
    {
        SortedSet<String> stored = ledger.installedDates();
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
        MasterDataset master = MasterDataset.ensure(spark.get(), config.warehouseDir());
        new ViewBuilder(new ViewStore(spark.get(), config.viewsDir())).build(master.read(dates), cutoff);
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

    private <T> T task(long runId, BatchTask task, Task<T> work)
            throws Exception
    {
        runLog.taskStarted(runId, task);
        try {
            T result = work.run();
            runLog.taskEnded(runId, task, null);
            return result;
        }
        catch (Exception e) {
            runLog.taskEnded(runId, task, Failures.oneLine(e));
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

    /**
     * @param expired offsets the absorb found gone from Kafka before they were absorbed
     * @param published rows loaded into each PostgreSQL table
     * @param audit what the audit after the publish found, when the run made one
     */
    public record BatchResult(long runId, long absorbedTrades, List<AbsorbBacklog.ExpiredOffsets> expired, SortedSet<String> viewDates, Instant cutoff,
            Map<String, Long> published, Optional<AuditReport> audit)
    {
        public BatchResult
        {
            requireNonNull(audit, "audit is null");
            expired = List.copyOf(expired);
            viewDates = new TreeSet<>(viewDates);
            published = Map.copyOf(published);
        }
    }
}
