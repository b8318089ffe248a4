package io.lambdatrades.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A benchmark's working files (broker log, database, checkpoints: gigabytes), deleted when it ends. */
final class ScratchDirectory
        implements AutoCloseable
{
    private final Path root;

    ScratchDirectory(String name)
            throws IOException
    {
        root = Files.createTempDirectory(name);
    }

    /** A new directory under the root. */
    Path directory(String name)
            throws IOException
    {
        return Files.createDirectories(root.resolve(name));
    }

    Path root()
    {
        return root;
    }

    @Override
    public void close()
    {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }
}
