package io.lambdatrades.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * {@code lambda record}: every message of the live feed, as received, with its receive time, one
 * JSON line each, appended to a file that {@code --source replay} reads back.
 */
public final class FrameRecorder
{
    private static final Logger log = LoggerFactory.getLogger(FrameRecorder.class);

    private final FinnhubConnection connection;
    private final FinnhubFrameParser parser;
    private final Path out;
    private final IngestMetrics metrics;

    public FrameRecorder(FinnhubConnection connection, FinnhubFrameParser parser, Path out, IngestMetrics metrics)
    {
        this.connection = requireNonNull(connection, "connection is null");
        this.parser = requireNonNull(parser, "parser is null");
        this.out = requireNonNull(out, "out is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** Records until the thread is interrupted; each line is flushed as it is written. */
    public void run()
    {
        try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            connection.run((text, receivedAt) -> {
                metrics.recordFrame(receivedAt);
                try {
                    writer.write(new RecordedFrame(text, OptionalLong.of(receivedAt)).toJsonLine(receivedAt));
                    writer.newLine();
                    writer.flush();
                }
                catch (IOException e) {
                    throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
                }
                return parser.parse(text, receivedAt);
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        log.info("Recording to {} stopped", out);
    }
}
