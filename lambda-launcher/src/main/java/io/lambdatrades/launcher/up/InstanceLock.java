package io.lambdatrades.launcher.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One {@code lambda up} per data directory: an OS file lock, released by the OS even on kill -9. */
public final class InstanceLock
        implements AutoCloseable
{
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    static InstanceLock acquire(Path dataDir)
    {
        Path file = dataDir.resolve("run").resolve("up.lock");
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another 'lambda up' is running on data directory " + dataDir + " (see 'lambda status --data-dir " + dataDir + "')");
            }
            return new InstanceLock(channel, lock);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close()
    {
        try {
            lock.release();
            channel.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock of the data directory", e);
        }
    }
}
