package io.lambdatrades.common.config;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * @param symbols empty means the simulator's default market
 * @param rate live trades per second of the simulated market
 * @param historyRate trades per simulated second of the history written before going live
 */
public record IngestConfig(String source, List<String> symbols, double rate, int historyDays, double historyRate, long seed)
{
    public IngestConfig
    {
        requireNonNull(source, "source is null");
        symbols = List.copyOf(requireNonNull(symbols, "symbols is null"));
    }

    static IngestConfig from(ConfigValues values)
    {
        return new IngestConfig(
                values.get(Settings.INGEST_SOURCE),
                values.get(Settings.INGEST_SYMBOLS),
                values.get(Settings.INGEST_RATE),
                values.get(Settings.INGEST_HISTORY_DAYS),
                values.get(Settings.INGEST_HISTORY_RATE),
                values.get(Settings.SIMULATE_SEED));
    }
}
