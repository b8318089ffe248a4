package io.lambdatrades.common.config;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * @param symbols empty means the simulator's default market
 * @param rate live trades per second of the simulated market
 * @param historyRate trades per simulated second of the history written before going live
 * @param bufferFrames feed frames held while Kafka is slow before reading pauses
 */
public record IngestConfig(
        String source,
        List<String> symbols,
        double rate,
        int historyDays,
        double historyRate,
        long seed,
        int bufferFrames,
        FinnhubConfig finnhub,
        ReplayConfig replay)
{
    public IngestConfig
    {
        requireNonNull(source, "source is null");
        symbols = List.copyOf(requireNonNull(symbols, "symbols is null"));
        requireNonNull(finnhub, "finnhub is null");
        requireNonNull(replay, "replay is null");
    }

    static IngestConfig from(ConfigValues values)
    {
        return new IngestConfig(
                values.get(Settings.INGEST_SOURCE),
                values.get(Settings.INGEST_SYMBOLS),
                values.get(Settings.INGEST_RATE),
                values.get(Settings.INGEST_HISTORY_DAYS),
                values.get(Settings.INGEST_HISTORY_RATE),
                values.get(Settings.SIMULATE_SEED),
                values.get(Settings.INGEST_BUFFER_FRAMES),
                FinnhubConfig.from(values),
                ReplayConfig.from(values));
    }

    /** What the chosen source lacks, one line each naming the key; empty when it can start. */
    public List<String> sourceProblems()
    {
        List<String> problems = new ArrayList<>();
        if ("finnhub".equals(source)) {
            problems.addAll(finnhubSymbolProblems());
        }
        if ("replay".equals(source) && replay.file().isEmpty()) {
            problems.add("replay.file: not set: the replay source needs a recording (--replay FILE)");
        }
        return problems;
    }

    /** Finnhub needs symbols, and no more than one connection takes. */
    public List<String> finnhubSymbolProblems()
    {
        if (symbols.isEmpty()) {
            return List.of("ingest.symbols: not set: Finnhub needs the symbols to subscribe to (--symbols A,B)");
        }
        if (symbols.size() > finnhub.maxSymbols()) {
            return List.of("ingest.symbols: " + symbols.size() + " symbols, more than one Finnhub connection takes (finnhub.max.symbols = " + finnhub.maxSymbols() + ")");
        }
        return List.of();
    }
}
