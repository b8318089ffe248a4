package io.lambdatrades.ingest;

import io.lambdatrades.common.config.ConfigException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.util.Objects.requireNonNull;

/**
 * Replays a recording through the same parsing as the live feed, at the original pace, faster, or
 * as fast as Kafka takes it. Ends at the end of the file.
 */
public final class ReplayFeed
        implements TradeFeed
{
    private final Path file;
    private final double speed;
    private final FrameDispatcher dispatcher;
    private final Clock clock;

    /**
     * @param speed 1 for the original pace, 10 for ten times faster, infinity for no pacing
     */
    public ReplayFeed(Path file, double speed, FinnhubFrameParser parser, IngestMetrics metrics, Clock clock)
    {
        this.file = requireNonNull(file, "file is null");
        this.speed = speed;
        this.dispatcher = new FrameDispatcher(parser, metrics);
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String name()
    {
        return "replay";
    }

    @Override
    public void run(TradeListener listener)
    {
        long firstRecorded = Long.MIN_VALUE;
        long startedAt = clock.millis();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (line.isBlank()) {
                    continue;
                }
                RecordedFrame recorded = RecordedFrame.parse(line);
                OptionalLong time = recorded.pacingTime();
                if (Double.isFinite(speed) && time.isPresent()) {
                    if (firstRecorded == Long.MIN_VALUE) {
                        firstRecorded = time.getAsLong();
                    }
                    waitUntil(startedAt + (long) ((time.getAsLong() - firstRecorded) / speed));
                }
                dispatcher.dispatch(recorded.frame(), clock.millis(), listener);
            }
        }
        catch (NoSuchFileException e) {
            throw new ConfigException("replay.file: " + file + " does not exist");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read the recording " + file + ": " + e.getMessage(), e);
        }
    }

    private void waitUntil(long wallMillis)
    {
        for (long wait = wallMillis - clock.millis(); wait > 0 && !Thread.currentThread().isInterrupted(); wait = wallMillis - clock.millis()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(wait, 100)));
        }
    }
}
