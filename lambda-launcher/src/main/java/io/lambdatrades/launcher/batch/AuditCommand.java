package io.lambdatrades.launcher.batch;

import io.lambdatrades.batch.BatchPipeline;
import io.lambdatrades.batch.audit.AuditReport;
import io.lambdatrades.batch.audit.AuditScope;
import io.lambdatrades.batch.audit.Grain;
import io.lambdatrades.batch.audit.LedgerCheck;
import io.lambdatrades.batch.audit.OffsetRange;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.ValueParsers;
import io.lambdatrades.launcher.CommandServices;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.status.RunningServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Recomputes each day's aggregates straight from the trades (the master dataset, and Kafka for what it has not absorbed yet) "
                + "and compares them with what the serving views answer, day by day and symbol by symbol.",
                "It expects every trade up to Kafka's end offsets when it starts: what the speed layer has not written yet is lag, "
                + "waited for (--wait), then a failure. Auditing every day also checks the master dataset against the absorb ledger, offset by offset, "
                + "and, at the daily and hourly grains, the API's symbol list (each symbol's last price, day and 24-hour sparkline) symbol by symbol.",
                "Without --date: every day, daily and hourly buckets; with it: that day's minutes too (--grain to choose).",
                "Exit code 0 when equal, 1 on any difference or remaining lag, 2 for bad arguments."})
public final class AuditCommand
        implements Callable<Integer>
{
    private static final int SHOWN_PER_DAY = 10;

    @Mixin
    CommonOptions common;

    @Option(names = "--date", paramLabel = "D", description = "The UTC day to audit (YYYY-MM-DD), minutes included.")
    String date;

    @Option(names = "--grain", paramLabel = "G", split = ",", converter = GrainConverter.class,
            description = "The buckets to compare: minute, hour, day, comma-separated (default: day,hour; with --date also minute).")
    List<Grain> grains;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to wait for the speed layer to write what Kafka holds (default 60s).")
    Duration wait;

    @Option(names = "--lock-wait", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for a batch run in progress (default 10m).")
    Duration lockWait;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        LambdaConfig config = common.load(Map.of());
        AuditScope scope = scope();
        CommandServices connected = common.connect(config, "batch");
        RunningServices services = connected.services();
        PostgresConnection postgres = connected.postgres();
        Console console = new Console(System.out, System.console() != null);
        long started = System.nanoTime();
        console.line("lambda audit: " + (scope.everyDayWithData() ? "every day" : scope.days().first()) + ", "
                + scope.grains().stream().map(Grain::id).collect(Collectors.joining(", ")) + " buckets of the serving views against the trades");
        AuditReport report;
        try (BatchSpark spark = new BatchSpark(config, services, console)) {
            report = new BatchPipeline(spark, config.batch(), postgres, services.bootstrapServers(), config.kafka().topic(), (step, detail) -> {})
                    .audit(scope, lockWait, wait);
        }
        print(report, console);
        report.symbolList().ifPresent(differences -> printSymbolList(differences, console));
        report.ledger().ifPresent(ledger -> printLedger(ledger, console));
        if (!report.lag().isEmpty()) {
            console.line(String.format(Locale.ROOT, "  speed layer: %,d trade(s) in Kafka not written after waiting %s (%s): not compared, and the audit fails",
                    report.lagTrades(), wait.toMillis() / 1000.0 + " s", offsets(report.lag())));
        }
        console.line(String.format(Locale.ROOT, "lambda audit: %s in %.1f s (cutoff %s; speed layer at offsets %s)", verdict(report),
                (System.nanoTime() - started) / 1e9, report.cutoff(), offsets(report.speedOffsets())));
        return report.passed() ? 0 : 1;
    }

    private static String verdict(AuditReport report)
    {
        List<String> failures = new ArrayList<>();
        if (!report.differences().isEmpty()) {
            failures.add(report.differences().size() + " bucket(s) differ");
        }
        if (!report.symbolList().map(List::isEmpty).orElse(true)) {
            failures.add(report.symbolList().get().size() + " symbol(s) of the symbol list differ");
        }
        if (!report.ledger().map(LedgerCheck::clean).orElse(true)) {
            failures.add("the master dataset differs from the absorb ledger");
        }
        if (!report.lag().isEmpty()) {
            failures.add("the speed layer is behind Kafka");
        }
        return failures.isEmpty() ? "the serving views equal the trades" : String.join("; ", failures);
    }

    private static void printSymbolList(List<AuditReport.SymbolDifference> differences, Console console)
    {
        console.line(differences.isEmpty() ? "  symbol list: every symbol equal" : "  symbol list: " + differences.size() + " symbol(s) differ");
        differences.stream().limit(SHOWN_PER_DAY).forEach(difference -> console.line(String.format(Locale.ROOT, "    %-20s %s%s", difference.symbol(), difference.what(),
                difference.lateTrades() == 0 ? "" : String.format(Locale.ROOT, " (%,d late trade(s) wait for the next batch run)", difference.lateTrades()))));
        if (differences.size() > SHOWN_PER_DAY) {
            console.line(String.format(Locale.ROOT, "    ... and %,d more", differences.size() - SHOWN_PER_DAY));
        }
    }

    private static void printLedger(LedgerCheck ledger, Console console)
    {
        console.line(ledger.clean() ? "  master dataset: every absorbed offset once" : "  master dataset: DIFFERS from the absorb ledger");
        printRanges(console, "absorbed but missing", ledger.missing());
        printRanges(console, "held more than once", ledger.doubled());
        printRanges(console, "held but never absorbed", ledger.unrecorded());
        printRanges(console, "lost to Kafka's retention before the absorb (batch ack-loss)", ledger.lost());
        printRanges(console, "not trades (in the dead-letter topic)", ledger.undecodable());
    }

    private static void printRanges(Console console, String what, List<OffsetRange> ranges)
    {
        if (ranges.isEmpty()) {
            return;
        }
        console.line(String.format(Locale.ROOT, "    %s: %,d offset(s): %s%s", what, ranges.stream().mapToLong(OffsetRange::count).sum(),
                ranges.stream().limit(SHOWN_PER_DAY).map(OffsetRange::toString).collect(Collectors.joining(", ")),
                ranges.size() > SHOWN_PER_DAY ? String.format(Locale.ROOT, " and %,d more range(s)", ranges.size() - SHOWN_PER_DAY) : ""));
    }

    private AuditScope scope()
    {
        AuditScope scope;
        if (date == null) {
            scope = AuditScope.everyDay();
        }
        else {
            try {
                scope = AuditScope.of(new TreeSet<>(List.of(LocalDate.parse(date))));
            }
            catch (DateTimeParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--date " + date + " is not a date (YYYY-MM-DD)");
            }
        }
        return grains == null ? scope : scope.withGrains(grains);
    }

    private static void print(AuditReport report, Console console)
    {
        if (report.days().isEmpty()) {
            console.line("  no trades and no views for " + (report.scope().everyDayWithData() ? "any day" : report.scope().days().first()));
        }
        Map<LocalDate, List<AuditReport.Difference>> byDay = report.differences().stream()
                .collect(Collectors.groupingBy(difference -> LocalDate.ofInstant(difference.bucket(), ZoneOffset.UTC), TreeMap::new, Collectors.toList()));
        for (AuditReport.DayResult day : report.days()) {
            String buckets = report.scope().grains().stream()
                    .map(grain -> String.format(Locale.ROOT, "%s %,d", grain.id(), day.buckets().getOrDefault(grain, 0)))
                    .collect(Collectors.joining(", "));
            console.line(String.format(Locale.ROOT, "  %s  %3d symbol(s)  %s  %s%s", day.day(), day.symbols(), buckets,
                    day.differences() == 0 ? "equal" : day.differences() + " differ",
                    day.lateTrades() == 0 ? "" : String.format(Locale.ROOT, " (%,d late trade(s) wait for the next batch run)", day.lateTrades())));
            List<AuditReport.Difference> differences = byDay.getOrDefault(day.day(), List.of());
            differences.stream().limit(SHOWN_PER_DAY).forEach(difference -> console.line(String.format(Locale.ROOT, "    %-6s %-20s %s: %s",
                    difference.grain().id(), difference.symbol(), difference.bucket(), difference.what())));
            if (differences.size() > SHOWN_PER_DAY) {
                console.line(String.format(Locale.ROOT, "    ... and %,d more", differences.size() - SHOWN_PER_DAY));
            }
        }
    }

    private static String offsets(Map<Integer, Long> offsets)
    {
        return offsets.isEmpty() ? "none" : new TreeMap<>(offsets).entrySet().stream()
                .map(entry -> entry.getKey() + ":" + entry.getValue()).collect(Collectors.joining(" "));
    }

    static final class GrainConverter
            implements CommandLine.ITypeConverter<Grain>
    {
        @Override
        public Grain convert(String value)
        {
            return Arrays.stream(Grain.values()).filter(grain -> grain.id().equals(value)).findFirst()
                    .orElseThrow(() -> new CommandLine.TypeConversionException("'" + value + "' is not a grain: minute, hour or day"));
        }
    }

    static final class DurationConverter
            implements CommandLine.ITypeConverter<Duration>
    {
        @Override
        public Duration convert(String value)
        {
            try {
                return ValueParsers.duration().parse(value);
            }
            catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' " + e.getMessage());
            }
        }
    }
}
