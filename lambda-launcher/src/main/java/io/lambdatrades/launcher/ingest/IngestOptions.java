package io.lambdatrades.launcher.ingest;

import io.lambdatrades.common.config.ConfigLoader.Origin;
import io.lambdatrades.common.config.Setting;
import io.lambdatrades.common.config.Settings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Options that choose and shape the trade feed, shared by {@code up} and {@code ingest}. */
public final class IngestOptions
{
    @Option(names = "--source", paramLabel = "SOURCE", description = "Trade source: simulate, finnhub or replay (ingest.source).")
    String source;

    @Option(names = "--finnhub-url", paramLabel = "URL", description = "Finnhub's feed (finnhub.url, default wss://ws.finnhub.io); the token comes from FINNHUB_TOKEN.")
    String finnhubUrl;

    @Option(names = "--replay", paramLabel = "FILE", description = "Recording to replay with --source replay (replay.file).")
    String replay;

    @Option(names = "--speed", paramLabel = "1|10|max", description = "Replay pace (replay.speed, default 1: the original).")
    String speed;

    @Option(names = "--symbols", paramLabel = "A,B", description = "Symbols, comma-separated (ingest.symbols; default: the simulated market's 14).")
    String symbols;

    @Option(names = "--rate", paramLabel = "N", description = "Live trades per second of the simulated market (ingest.rate, default 200).")
    String rate;

    @Option(names = "--history-days", paramLabel = "N", description = "Days of simulated history written first (ingest.history.days, default 0).")
    String historyDays;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the simulated market (simulate.seed, default 42).")
    String seed;

    public Map<String, Origin> overrides()
    {
        Map<String, Origin> overrides = new LinkedHashMap<>();
        put(overrides, Settings.INGEST_SOURCE, source, "--source");
        put(overrides, Settings.FINNHUB_URL, finnhubUrl, "--finnhub-url");
        put(overrides, Settings.REPLAY_FILE, replay, "--replay");
        put(overrides, Settings.REPLAY_SPEED, speed, "--speed");
        put(overrides, Settings.INGEST_SYMBOLS, symbols, "--symbols");
        put(overrides, Settings.INGEST_RATE, rate, "--rate");
        put(overrides, Settings.INGEST_HISTORY_DAYS, historyDays, "--history-days");
        put(overrides, Settings.SIMULATE_SEED, seed, "--seed");
        return overrides;
    }

    /** These options as given, for an ingester in a JVM of its own. */
    public List<String> arguments()
    {
        List<String> arguments = new ArrayList<>();
        overrides().values().forEach(origin -> arguments.addAll(List.of(origin.source(), origin.value())));
        return arguments;
    }

    private static void put(Map<String, Origin> overrides, Setting<?> setting, String value, String option)
    {
        if (value != null) {
            overrides.put(setting.key(), new Origin(value, option));
        }
    }
}
