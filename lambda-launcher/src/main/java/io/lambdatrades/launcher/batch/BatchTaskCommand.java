package io.lambdatrades.launcher.batch;

import io.lambdatrades.batch.BatchPipeline;
import io.lambdatrades.batch.BatchRequest;
import io.lambdatrades.batch.BatchTask;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommandServices;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.status.RunningServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "task", mixinStandardHelpOptions = true,
        description = {"One task of the batch run of a period, for an external orchestrator (Airflow) that drives the tasks one by one.",
                "Each is idempotent: absorb takes what Kafka holds now, views recomputes the closed dates with new data, publish loads them and moves the cutoff to the period's end."})
public final class BatchTaskCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Parameters(index = "0", paramLabel = "TASK", description = "absorb, views or publish")
    public String task;

    @Option(names = "--period", required = true, paramLabel = "P", description = "The period's start: 2026-11-23, or 2026-11-23T14:00 for periods under a day.")
    public String period;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        LambdaConfig config = common.load(Map.of());
        BatchTask batchTask;
        BatchRequest request;
        try {
            batchTask = BatchTask.of(task);
            if (batchTask == BatchTask.AUDIT) {
                throw new IllegalArgumentException("the audit is not a task of its own here: run 'lambda audit --date D' after the publish");
            }
            request = BatchRequest.period(period, Instant.now(), config.batch().period());
        }
        catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CommandServices connected = common.connect(config, "batch");
        RunningServices services = connected.services();
        PostgresConnection postgres = connected.postgres();
        String bootstrapServers = connected.bootstrapServers();
        Console console = new Console(System.out, System.console() != null);
        long started = System.nanoTime();
        try (BatchSpark spark = new BatchSpark(config, services, console)) {
            BatchPipeline pipeline = new BatchPipeline(spark, config.batch(), postgres, bootstrapServers, config.kafka().topic(),
                    (step, detail) -> console.line(String.format(Locale.ROOT, "  %-9s %s  (%.1f s)", step.name().toLowerCase(Locale.ROOT).replaceFirst("_.*", ""),
                            detail, (System.nanoTime() - started) / 1e9)));
            BatchPipeline.BatchResult result = pipeline.task(batchTask, request);
            console.line(String.format(Locale.ROOT, "lambda batch task %s --period %s: done in %.1f s (run %d)", batchTask.id(), period,
                    (System.nanoTime() - started) / 1e9, result.runId()));
        }
        return 0;
    }
}
