package io.lambdatrades.ingest;

import io.lambdatrades.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FinnhubTokenTest
{
    @TempDir
    Path dir;

    @Test
    void theEnvironmentWinsOverTheFile()
            throws IOException
    {
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");

        assertThat(FinnhubToken.resolve(Map.of("FINNHUB_TOKEN", "from-env"), Optional.of(file)).value()).isEqualTo("from-env");
        assertThat(FinnhubToken.resolve(Map.of(), Optional.of(file)).value()).isEqualTo("from-file");
    }

    @Test
    void aMissingTokenNamesBothPlacesItCanComeFrom()
    {
        assertThatThrownBy(() -> FinnhubToken.resolve(Map.of(), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("FINNHUB_TOKEN: not set, and neither is finnhub.token.file: the Finnhub feed needs an API key");
    }

    @Test
    void anEmptyOrUnreadableFileIsOneLineWithoutItsContent()
            throws IOException
    {
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> FinnhubToken.resolve(Map.of(), Optional.of(empty))).hasMessage("finnhub.token.file: " + empty + " is empty");
        assertThatThrownBy(() -> FinnhubToken.resolve(Map.of(), Optional.of(missing))).hasMessage("finnhub.token.file: cannot read " + missing + ": NoSuchFileException");
    }

    @Test
    void theTokenIsNeverShown()
    {
        FinnhubToken token = FinnhubToken.of("abc123secret");

        assertThat(token.toString()).isEqualTo("***");
        assertThat(token.redact("wss://ws.finnhub.io?token=abc123secret refused")).isEqualTo("wss://ws.finnhub.io?token=*** refused");
    }
}
