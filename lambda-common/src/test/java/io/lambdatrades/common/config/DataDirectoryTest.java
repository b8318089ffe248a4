package io.lambdatrades.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class DataDirectoryTest
{
    @TempDir
    Path dir;

    @Test
    void createsAMissingDirectory()
    {
        Path data = dir.resolve("a/b/data");

        assertThat(DataDirectory.prepare(data)).isDirectory();
    }

    @Test
    void refusesAFileInPlaceOfTheDirectory()
            throws IOException
    {
        Path file = Files.writeString(dir.resolve("data"), "not a directory");

        assertThatThrownBy(() -> DataDirectory.prepare(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("data.dir: " + file + " exists and is not a directory");
    }

    @Test
    void refusesADirectoryThatCannotBeCreated()
            throws IOException
    {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path under = file.resolve("data");

        assertThatThrownBy(() -> DataDirectory.prepare(under))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.dir: cannot create " + under + ": ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAnUnwritableDirectory()
            throws IOException
    {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        assertThat(readOnly.toFile().setWritable(false, false)).isTrue();
        boolean writable = Files.isWritable(readOnly);
        readOnly.toFile().setWritable(writable, false);
        // As root, permission bits do not stop writes, and a read-only bind is not available in a test.
        assumeFalse(writable, "skipped: this user (root?) can write to a directory without write permission");
        readOnly.toFile().setWritable(false, false);
        assertThatThrownBy(() -> DataDirectory.prepare(readOnly))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.dir: " + readOnly + " is not writable: ");
    }

    @Test
    void aReaderNeedsTheDirectoryToExist()
    {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> DataDirectory.existing(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("data.dir: " + missing + " does not exist (start the system with 'lambda up' or pass --data-dir)");
    }
}
