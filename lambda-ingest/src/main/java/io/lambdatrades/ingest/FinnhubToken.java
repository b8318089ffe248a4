package io.lambdatrades.ingest;

import io.lambdatrades.common.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The Finnhub API key. It goes into the connection URL and nowhere else: never printed or logged. */
public final class FinnhubToken
{
    public static final String ENV = "FINNHUB_TOKEN";
    private static final String MASK = "***";

    private final String value;

    private FinnhubToken(String value)
    {
        this.value = value;
    }

    public static FinnhubToken of(String value)
    {
        requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the token is empty");
        }
        return new FinnhubToken(value.trim());
    }

    /** From {@code FINNHUB_TOKEN}, else from the token file. */
    public static FinnhubToken resolve(Map<String, String> environment, Optional<Path> tokenFile)
    {
        String fromEnvironment = environment.get(ENV);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return of(fromEnvironment);
        }
        if (tokenFile.isEmpty()) {
            throw new ConfigException(ENV + ": not set, and neither is finnhub.token.file: the Finnhub feed needs an API key");
        }
        try {
            String fromFile = Files.readString(tokenFile.get());
            if (fromFile.isBlank()) {
                throw new ConfigException("finnhub.token.file: " + tokenFile.get() + " is empty");
            }
            return of(fromFile);
        }
        catch (IOException e) {
            throw new ConfigException("finnhub.token.file: cannot read " + tokenFile.get() + ": " + e.getClass().getSimpleName());
        }
    }

    String value()
    {
        return value;
    }

    /** The text with every occurrence of the token masked: for any message that might carry the URL. */
    public String redact(String text)
    {
        return text == null ? null : text.replace(value, MASK);
    }

    @Override
    public String toString()
    {
        return MASK;
    }
}
