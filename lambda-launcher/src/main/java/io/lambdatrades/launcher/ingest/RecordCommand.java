package io.lambdatrades.launcher.ingest;

import io.lambdatrades.common.TradeValidator;
import io.lambdatrades.common.config.ConfigException;
import io.lambdatrades.common.config.ConfigLoader.Origin;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.Settings;
import io.lambdatrades.ingest.FeedRefusedException;
import io.lambdatrades.ingest.FinnhubConnection;
import io.lambdatrades.ingest.FinnhubFrameParser;
import io.lambdatrades.ingest.FinnhubToken;
import io.lambdatrades.ingest.FrameRecorder;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Console;
import io.lambdatrades.launcher.Logging;
import io.lambdatrades.launcher.StopSignals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "record", mixinStandardHelpOptions = true,
        description = "Save Finnhub's live feed to a file (one JSON line a message, with its receive time) for --source replay. Ctrl-C stops.")
public final class RecordCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to append the recording to.")
    Path out;

    @Option(names = "--symbols", paramLabel = "A,B", description = "Symbols to subscribe to (ingest.symbols).")
    String symbols;

    @Option(names = "--finnhub-url", paramLabel = "URL", description = "Finnhub's feed (finnhub.url, default wss://ws.finnhub.io); the token comes from FINNHUB_TOKEN.")
    String finnhubUrl;

    @Override
    public Integer call()
            throws InterruptedException
    {
        Map<String, Origin> overrides = new LinkedHashMap<>();
        if (symbols != null) {
            overrides.put(Settings.INGEST_SYMBOLS.key(), new Origin(symbols, "--symbols"));
        }
        if (finnhubUrl != null) {
            overrides.put(Settings.FINNHUB_URL.key(), new Origin(finnhubUrl, "--finnhub-url"));
        }
        LambdaConfig config = common.load(overrides);
        if (!config.ingest().finnhubSymbolProblems().isEmpty()) {
            throw new ConfigException(config.ingest().finnhubSymbolProblems());
        }
        FinnhubToken token = FinnhubToken.resolve(System.getenv(), config.ingest().finnhub().tokenFile());
        Logging.configure(config.dataDir().resolve("logs"), common.verbose);

        IngestMetrics metrics = new IngestMetrics();
        FinnhubConnection connection = new FinnhubConnection(config.ingest().finnhub(), token, config.ingest().symbols(), config.ingest().bufferFrames(), metrics, Clock.systemUTC());
        FrameRecorder recorder = new FrameRecorder(connection, new FinnhubFrameParser("finnhub", new TradeValidator(Clock.systemUTC())), out, metrics);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                recorder.run();
            }
            catch (RuntimeException e) {
                failure.set(e);
            }
        }, "lambda-record");
        StopSignals.onStop(thread::interrupt);
        Console console = new Console(System.out, System.console() != null);
        console.line("lambda record: " + config.ingest().finnhub().url() + " -> " + out.toAbsolutePath());
        thread.start();
        while (thread.isAlive()) {
            thread.join(1_000);
            IngestMetrics.Snapshot snapshot = metrics.snapshot();
            console.progress(String.format(Locale.ROOT, "recording  %,d frames  %,d reconnects", snapshot.frames(), snapshot.reconnects()));
        }
        if (failure.get() != null) {
            throw failure.get() instanceof FeedRefusedException refused ? refused : failure.get();
        }
        console.line("lambda record: stopped; " + metrics.snapshot().frames() + " frames in " + out.toAbsolutePath());
        return 0;
    }
}
