package io.lambdatrades.launcher.batch;

import io.lambdatrades.batch.BatchErrors;
import io.lambdatrades.batch.BatchPipeline;
import io.lambdatrades.batch.BatchRequest;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommandServices;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.PermanentFailure;
import io.lambdatrades.launcher.status.RunningServices;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"One batch run: absorb, views, publish. Without options it closes every period ended by now.",
                "While 'lambda up' runs its scheduler, the run goes through the scheduler's queue and this command waits for it.",
                "Exit codes: 0 done; 1 failed, another attempt may succeed (a lost connection, a full disk); 2 bad arguments;"
                        + " 3 failed in a way another attempt would meet again (bad data, an integrity error, a bug), which the scheduler does not retry."})
public final class BatchRunCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @ArgGroup(exclusive = true)
    Selection selection;

    @Spec
    CommandLine.Model.CommandSpec spec;

    static final class Selection
    {
        @Option(names = "--period", paramLabel = "P", description = "Close the period starting at P: 2026-11-23, or 2026-11-23T14:00 for periods under a day.")
        String period;

        @ArgGroup(exclusive = false)
        Range range;

        @Option(names = "--run-id", paramLabel = "N", description = "Run the unfinished tasks of run N of the history here and now (how the scheduler starts its runs).")
        Long runId;
    }

    static final class Range
    {
        @Option(names = "--from", required = true, paramLabel = "DATE", description = "Backfill: recompute the views from this date (YYYY-MM-DD)...")
        String from;

        @Option(names = "--to", required = true, paramLabel = "DATE", description = "...to this date, inclusive.")
        String to;
    }

    @Override
    public Integer call()
            throws Exception
    {
        LambdaConfig config = common.load(Map.of());
        BatchRequest request = request(config, Instant.now());
        CommandServices connected = common.connectWithKafka(config, "batch");
        RunningServices services = connected.services();
        String bootstrapServers = connected.bootstrapServers();
        PostgresConnection postgres = connected.postgres();
        Console console = new Console(System.out, System.console() != null);
        if (request != null && services.schedulerRuns()) {
            return new QueuedBatchRun(postgres, config.batch().period(), console).submitAndWait(request);
        }
        long started = System.nanoTime();
        console.line("lambda batch run: " + bootstrapServers + " topic " + config.kafka().topic() + " -> " + config.batch().warehouseDir()
                + ", views " + config.batch().viewsDir() + (request == null ? ", run " + selection.runId : ", cutoff to " + request.cutoff())
                + String.format(Locale.ROOT, " (JVM started %.1f s ago)", Duration.between(ProcessHandle.current().info().startInstant().orElse(Instant.now()), Instant.now()).toMillis() / 1e3));
        try (BatchSpark spark = new BatchSpark(config, services, console)) {
            BatchPipeline pipeline = new BatchPipeline(spark, config.batch(), postgres, bootstrapServers, config.kafka().topic(),
                    (step, detail) -> console.line(String.format(Locale.ROOT, "  %-9s %s  (%.1f s)", step.name().toLowerCase(Locale.ROOT).replaceFirst("_.*", ""),
                            detail, (System.nanoTime() - started) / 1e9)));
            BatchPipeline.BatchResult result = run(pipeline, request);
            console.line(String.format(Locale.ROOT, "lambda batch run: run %d succeeded in %.1f s: %,d trades absorbed, %d date(s) recomputed, cutoff %s",
                    result.runId(), (System.nanoTime() - started) / 1e9, result.absorbedTrades(), result.viewDates().size(), result.cutoff()));
        }
        return 0;
    }

    /** The arguments that run the unfinished tasks of run {@code runId}: how the scheduler starts its runs, each in a JVM of its own. */
    public static List<String> arguments(long runId, List<String> options)
    {
        List<String> arguments = new ArrayList<>(List.of("batch", "run", "--run-id", Long.toString(runId)));
        arguments.addAll(options);
        return List.copyOf(arguments);
    }

    /** The run, its failure classified: one another attempt would meet again exits 3, which the scheduler does not retry. */
    private BatchPipeline.BatchResult run(BatchPipeline pipeline, BatchRequest request)
            throws Exception
    {
        try {
            return request == null ? pipeline.resume(selection.runId) : pipeline.run(request);
        }
        catch (Exception e) {
            throw BatchErrors.isTransient(e) ? e : new PermanentFailure(e);
        }
    }

    /** What was asked for, or null for a run of the history (--run-id). */
    private BatchRequest request(LambdaConfig config, Instant now)
    {
        try {
            if (selection == null) {
                return BatchRequest.now(now, config.batch().period());
            }
            if (selection.runId != null) {
                return null;
            }
            if (selection.period != null) {
                return BatchRequest.period(selection.period, now, config.batch().period());
            }
            return BatchRequest.backfill(date("--from", selection.range.from), date("--to", selection.range.to), now, config.batch().period());
        }
        catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static LocalDate date(String option, String text)
    {
        try {
            return LocalDate.parse(text);
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " " + text + " is not a date (YYYY-MM-DD)");
        }
    }
}
