package io.lambdatrades.launcher.batch;

import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.scheduler.RunHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "history", mixinStandardHelpOptions = true, description = "The last batch runs and their tasks, newest first, as a table.")
public final class BatchHistoryCommand
        implements Callable<Integer>
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String ROW = "%-6s %-22s %-9s %-8s %3s %-19s %9s %12s %9s  %-44s %s%n";

    @Mixin
    CommonOptions common;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "How many runs (default ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit " + limit + " must be at least 1");
        }
        LambdaConfig config = common.load(Map.of());
        var postgres = common.connect(config, "lambda").postgres();
        RunHistory history = new RunHistory(postgres);
        print(history.last(limit), history.nextClose().orElse(null), config, System.out);
        return 0;
    }

    static void print(List<RunHistory.Run> runs, Instant nextClose, LambdaConfig config, PrintStream out)
    {
        Instant now = Instant.now();
        out.printf(Locale.ROOT, ROW, "RUN", "PERIOD", "TRIGGER", "STATE", "TRY", "STARTED (UTC)", "DURATION", "TRADES", "ROWS", "TASKS", "ERROR");
        for (RunHistory.Run run : runs) {
            out.printf(Locale.ROOT, ROW, run.runId(), period(run, config.batch().period()), run.trigger(), run.state().value(), run.attempts(),
                    run.startedAt().map(TIME::format).orElse("-"),
                    run.duration(now).map(BatchHistoryCommand::seconds).orElse("-"),
                    run.tradesAbsorbed().map(trades -> String.format(Locale.ROOT, "%,d", trades)).orElse("-"),
                    run.rowsPublished().map(rows -> String.format(Locale.ROOT, "%,d", rows)).orElse("-"),
                    run.tasks().stream().map(task -> task.name() + ":" + task.state().value() + task.duration().map(duration -> "(" + seconds(duration) + ")").orElse(""))
                            .collect(Collectors.joining(" ")),
                    run.error().orElse("") + run.nextAttemptAt().map(next -> " (retry at " + TIME.format(next) + ")").orElse("")
                            + run.offsetsLost().map(lost -> String.format(Locale.ROOT, " %,d offsets lost to retention", lost)).orElse("")
                            + run.auditDifferences().map(differences -> differences == 0 ? " audit: views equal the trades"
                                    : String.format(Locale.ROOT, " audit: %,d bucket(s) differ (lambda audit --date D)", differences)).orElse(""));
        }
        if (runs.isEmpty()) {
            out.println("(no batch run yet)");
        }
        if (nextClose != null) {
            out.println("next scheduled close: " + TIME.format(nextClose) + " UTC");
        }
    }

    /** The period's start, and its last period's too when a catch-up closed several. */
    private static String period(RunHistory.Run run, Duration period)
    {
        Instant last = run.period().end().minus(period);
        String start = start(run.period().start(), period);
        return last.isAfter(run.period().start()) ? start + ".." + start(last, period) : start;
    }

    private static String start(Instant start, Duration period)
    {
        return period.toDays() >= 1 ? start.atOffset(ZoneOffset.UTC).toLocalDate().toString() : DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC).format(start);
    }

    private static String seconds(Duration duration)
    {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1e3);
    }
}
