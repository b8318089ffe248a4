package io.lambdatrades.common.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where Finnhub's feed is and how to watch it. The token itself is not configuration: it comes from
 * {@code FINNHUB_TOKEN} or {@code tokenFile} when a feed starts, and is never printed.
 */
public record FinnhubConfig(URI url, Optional<Path> tokenFile, int maxSymbols, Duration staleAfter)
{
    public FinnhubConfig
    {
        requireNonNull(url, "url is null");
        requireNonNull(tokenFile, "tokenFile is null");
        requireNonNull(staleAfter, "staleAfter is null");
    }

    static FinnhubConfig from(ConfigValues values)
    {
        return new FinnhubConfig(
                values.get(Settings.FINNHUB_URL),
                values.get(Settings.FINNHUB_TOKEN_FILE),
                values.get(Settings.FINNHUB_MAX_SYMBOLS),
                Duration.ofSeconds(values.get(Settings.FINNHUB_STALE_AFTER_SECONDS)));
    }
}
