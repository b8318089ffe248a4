package io.lambdatrades.launcher.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Free space on the disk of the data directory, where the embedded Kafka, PostgreSQL, the warehouse
 * and the checkpoints write: when it is full they stop writing, so it is watched before that.
 *
 * @param freeBytes what this process may still write
 * @param minFreeBytes data.min.free.mb: under it, up warns and status is degraded
 */
public record DiskSpace(Path dataDir, long freeBytes, long totalBytes, long minFreeBytes)
{
    public static DiskSpace of(Path dataDir, long minFreeBytes)
    {
        try {
            // Before its first start the directory may not exist yet: its disk is its nearest parent's.
            Path existing = dataDir.toAbsolutePath();
            while (!Files.exists(existing) && existing.getParent() != null) {
                existing = existing.getParent();
            }
            FileStore store = Files.getFileStore(existing);
            return new DiskSpace(dataDir, store.getUsableSpace(), store.getTotalSpace(), minFreeBytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public boolean low()
    {
        return freeBytes < minFreeBytes;
    }

    /** The warning, one line. */
    public String problem()
    {
        return String.format(Locale.ROOT, "data directory %s: %,d MiB free, under data.min.free.mb (%,d): Kafka, PostgreSQL and the batch layer stop writing when the disk is full",
                dataDir, freeBytes >> 20, minFreeBytes >> 20);
    }
}
