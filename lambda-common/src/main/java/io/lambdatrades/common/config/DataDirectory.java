package io.lambdatrades.common.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the data directory before anything is started in it. */
public final class DataDirectory
{
    private DataDirectory() {}

    /** For a process that owns the data: creates the directory when missing and proves it writable. */
    public static Path prepare(Path dir)
    {
        try {
            Files.createDirectories(dir);
        }
        catch (FileAlreadyExistsException e) {
            throw new ConfigException("data.dir: " + dir + " exists and is not a directory");
        }
        catch (AccessDeniedException e) {
            throw new ConfigException("data.dir: cannot create " + dir + ": permission denied");
        }
        catch (IOException e) {
            throw new ConfigException("data.dir: cannot create " + dir + ": " + describe(e));
        }
        Path probe = dir.resolve(".write-probe");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
        }
        catch (IOException e) {
            throw new ConfigException("data.dir: " + dir + " is not writable: " + describe(e));
        }
        return dir;
    }

    /** For a process that reads another's data: the directory must exist. */
    public static Path existing(Path dir)
    {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("data.dir: " + dir + " does not exist (start the system with 'lambda up' or pass --data-dir)");
        }
        return dir;
    }

    private static String describe(IOException e)
    {
        String reason = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? reason : reason + " " + e.getMessage();
    }
}
