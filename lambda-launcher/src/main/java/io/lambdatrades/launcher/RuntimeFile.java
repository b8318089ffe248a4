package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The runtime file of a data directory, replaced atomically so that a reader never sees half of it. */
public final class RuntimeFile
{
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path file;

    public RuntimeFile(Path dataDir)
    {
        this.file = requireNonNull(dataDir, "dataDir is null").resolve("run").resolve("lambda.json");
    }

    public Path path()
    {
        return file;
    }

    public void write(RuntimeState state)
    {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), state);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write the runtime file " + file + ": " + e.getMessage(), e);
        }
    }

    public Optional<RuntimeState> read()
    {
        try {
            return Optional.of(JSON.readValue(Files.readString(file), RuntimeState.class));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the runtime file " + file + ": " + e.getMessage(), e);
        }
    }
}
