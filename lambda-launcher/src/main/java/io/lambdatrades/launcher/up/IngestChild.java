package io.lambdatrades.launcher.up;

import io.lambdatrades.ingest.IngestLedger;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.launcher.ingest.IngestReport;
import io.lambdatrades.launcher.ingest.IngestView;
import io.lambdatrades.launcher.status.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The ingester as {@code up} runs it: {@code lambda ingest --supervised} in a JVM of its own, started
 * again when it dies. It reports in {@code run/ingest.json} and counts in {@code run/ingest.ledger}
 * what it received and what Kafka acknowledged; when it dies without stopping in order (kill -9), the
 * difference is what may be missing from Kafka, which {@code status} shows from then on.
 */
public final class IngestChild
        implements IngestView, AutoCloseable
{
    static final String LEDGER = "ingest.ledger";

    private static final Logger log = LoggerFactory.getLogger(IngestChild.class);

    private final ChildLayer layer;
    private final StateFile<IngestReport> reports;
    private final Path ledger;
    private final Consumer<RuntimeException> onRefused;
    private final AtomicLong tradesMayBeMissing = new AtomicLong();
    private final AtomicLong framesMayBeMissing = new AtomicLong();
    // Feed restarts inside ingester JVMs that have ended.
    private final AtomicLong endedFeedRestarts = new AtomicLong();
    private volatile IngestReport last = IngestReport.starting();
    // What the children that ended counted, so that the totals run from up's start.
    private volatile IngestMetrics.Snapshot ended = IngestReport.starting().metrics();
    private final Map<String, Long> endedLastTradeTs = new TreeMap<>();

    /**
     * @param arguments {@code ingest} and its options; {@code --supervised} is added
     * @param onRefused told when the feed refuses us for good (a bad token): no restart can help
     */
    IngestChild(Path dataDir, List<String> arguments, Map<String, String> environment, Consumer<RuntimeException> onRefused)
    {
        this.reports = new StateFile<>(dataDir, IngestReport.FILE, IngestReport.class);
        this.ledger = ledgerFile(dataDir);
        this.onRefused = requireNonNull(onRefused, "onRefused is null");
        List<String> command = new ArrayList<>(arguments);
        command.add("--supervised");
        this.layer = new ChildLayer("ingest", command, environment, dataDir.resolve("logs").resolve("ingest.out"), this::exited);
    }

    public static Path ledgerFile(Path dataDir)
    {
        return dataDir.resolve("run").resolve(LEDGER);
    }

    void start()
    {
        // An ingester of an earlier up that died with it (its process group killed) left its count.
        countWhatMayBeMissing();
        deleteReport();
        layer.start();
    }

    private ChildLayer.Exit exited(int exitCode)
    {
        Optional<IngestReport> report = readReport();
        deleteReport();
        IngestReport lastReport = report.orElse(last);
        IngestMetrics.Snapshot counted = countWhatMayBeMissing()
                .map(ledger -> withLedger(lastReport.metrics(), ledger))
                .orElse(lastReport.metrics());
        last = IngestReport.starting();
        endedFeedRestarts.addAndGet(lastReport.restarts());
        synchronized (endedLastTradeTs) {
            ended = sum(ended, counted);
            lastReport.lastTradeTsBySymbol().forEach((symbol, ts) -> endedLastTradeTs.merge(symbol, ts, Math::max));
        }
        String state = report.map(IngestReport::state).orElse("");
        if ("failed".equals(state)) {
            onRefused.accept(new IllegalStateException(report.get().lastError()));
            return ChildLayer.Exit.FAILED;
        }
        return exitCode == 0 && "finished".equals(state) ? ChildLayer.Exit.FINISHED : ChildLayer.Exit.RESTART;
    }

    private Optional<IngestLedger.Snapshot> countWhatMayBeMissing()
    {
        Optional<IngestLedger.Snapshot> ledgered = IngestLedger.read(ledger);
        ledgered.ifPresent(counted -> {
            if (counted.tradesInFlight() > 0 || counted.framesUnhandled() > 0) {
                tradesMayBeMissing.addAndGet(counted.tradesInFlight());
                framesMayBeMissing.addAndGet(counted.framesUnhandled());
                log.warn("The ingester died before Kafka acknowledged {} trade(s) it sent and before it sent the trades of {} frame(s) it received: they may be missing",
                        counted.tradesInFlight(), counted.framesUnhandled());
            }
        });
        try {
            Files.deleteIfExists(ledger);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + ledger + ": " + e.getMessage(), e);
        }
        return ledgered;
    }

    // The ledger's counts are exact to the last trade; a report can be half a second old.
    private static IngestMetrics.Snapshot withLedger(IngestMetrics.Snapshot reported, IngestLedger.Snapshot ledger)
    {
        return new IngestMetrics.Snapshot(ledger.tradesSent(), ledger.tradesAcknowledged(), reported.deadLetters(), reported.failed(), reported.lastTradeTs(),
                reported.frames(), reported.pings(), reported.unknownMessages(), reported.reconnects(), reported.lastFrameAt(), 0);
    }

    private static IngestMetrics.Snapshot sum(IngestMetrics.Snapshot earlier, IngestMetrics.Snapshot later)
    {
        return new IngestMetrics.Snapshot(earlier.sent() + later.sent(), earlier.acknowledged() + later.acknowledged(), earlier.deadLetters() + later.deadLetters(),
                earlier.failed() + later.failed(), Math.max(earlier.lastTradeTs(), later.lastTradeTs()), earlier.frames() + later.frames(),
                earlier.pings() + later.pings(), earlier.unknownMessages() + later.unknownMessages(), earlier.reconnects() + later.reconnects(),
                Math.max(earlier.lastFrameAt(), later.lastFrameAt()), later.bufferedFrames());
    }

    private Optional<IngestReport> readReport()
    {
        try {
            return reports.read();
        }
        catch (UncheckedIOException e) {
            // Half written by a process killed mid-write is impossible (atomic move); unreadable is as good as none.
            return Optional.empty();
        }
    }

    private void deleteReport()
    {
        try {
            Files.deleteIfExists(reports.path());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + reports.path() + ": " + e.getMessage(), e);
        }
    }

    /** Reads the child's latest report; called every second by {@code up}'s heartbeat. */
    void refresh()
    {
        if ("running".equals(layer.state())) {
            readReport().ifPresent(report -> last = report);
        }
    }

    @Override
    public String state()
    {
        return "running".equals(layer.state()) ? last.state() : layer.state();
    }

    @Override
    public String lastError()
    {
        return last.lastError().isEmpty() ? layer.lastError() : last.lastError();
    }

    @Override
    public String phase()
    {
        return last.phase();
    }

    /** Counts since up started, over every ingester JVM it ran. */
    @Override
    public IngestMetrics.Snapshot snapshot()
    {
        return sum(ended, last.metrics());
    }

    Map<String, Long> lastTradeTsBySymbol()
    {
        synchronized (endedLastTradeTs) {
            Map<String, Long> newest = new TreeMap<>(endedLastTradeTs);
            last.lastTradeTsBySymbol().forEach((symbol, ts) -> newest.merge(symbol, ts, Math::max));
            return newest;
        }
    }

    long pid()
    {
        return layer.pid();
    }

    /** Restarts of the child JVM and of the feed inside it. */
    long restarts()
    {
        return layer.restarts() + endedFeedRestarts.get() + last.restarts();
    }

    long tradesMayBeMissing()
    {
        return tradesMayBeMissing.get();
    }

    long framesMayBeMissing()
    {
        return framesMayBeMissing.get();
    }

    /** Stops the ingester in order: what it received is in Kafka when it exits. */
    @Override
    public void close()
    {
        layer.close();
        // Stopped in order: its final report is the last word.
        readReport().ifPresent(report -> last = report);
    }
}
