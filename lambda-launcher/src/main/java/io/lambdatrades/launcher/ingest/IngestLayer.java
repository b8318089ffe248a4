package io.lambdatrades.launcher.ingest;

import io.lambdatrades.common.Backoff;
import io.lambdatrades.common.Failures;
import io.lambdatrades.ingest.FeedRefusedException;
import io.lambdatrades.ingest.IngestMetrics;
import io.lambdatrades.ingest.IngestPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The ingester as a supervised layer: it runs on a thread of its own and is restarted with backoff
 * when it fails (Kafka unreachable, say); each restart resumes from the end of the trade log.
 */
public final class IngestLayer
        implements AutoCloseable, IngestView
{
    private static final Logger log = LoggerFactory.getLogger(IngestLayer.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    // A run that lasted this long was healthy: its failure starts the backoff over.
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(1);

    private final IngestPipeline pipeline;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final Thread thread;
    private final AtomicReference<String> state = new AtomicReference<>("starting");
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private final AtomicLong restarts = new AtomicLong();
    private final Consumer<RuntimeException> onRefused;

    /**
     * @param onRefused told when the feed refuses us for good (a bad token): no restart can help
     */
    IngestLayer(IngestPipeline pipeline, Consumer<RuntimeException> onRefused)
    {
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.onRefused = requireNonNull(onRefused, "onRefused is null");
        this.thread = new Thread(this::superviseRun, "lambda-ingest");
    }

    void start()
    {
        thread.start();
    }

    private void superviseRun()
    {
        while (!Thread.currentThread().isInterrupted()) {
            long started = System.nanoTime();
            try {
                state.set("running");
                pipeline.run();
                if (!Thread.currentThread().isInterrupted()) {
                    state.set("finished");
                    log.info("The feed ended; everything it gave is in Kafka");
                    return;
                }
            }
            catch (FeedRefusedException e) {
                lastError.set(Failures.oneLine(e));
                state.set("failed");
                log.error("{}", lastError.get());
                onRefused.accept(e);
                return;
            }
            catch (RuntimeException e) {
                if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                    backoff.reset();
                }
                Duration delay = backoff.next();
                lastError.set(Failures.oneLine(e));
                state.set("restarting");
                restarts.incrementAndGet();
                log.warn("Ingester failed, restart {} in {} ms: {}", backoff.attempts(), delay.toMillis(), lastError.get());
                try {
                    TimeUnit.MILLISECONDS.sleep(delay.toMillis());
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        state.set("stopped");
    }

    @Override
    public String state()
    {
        return state.get();
    }

    /** Running or about to run again: not stopped, finished or failed. */
    boolean isRunning()
    {
        return switch (state.get()) {
            case "stopped", "finished", "failed" -> false;
            default -> true;
        };
    }

    @Override
    public String lastError()
    {
        return lastError.get();
    }

    @Override
    public String phase()
    {
        return pipeline.phase();
    }

    @Override
    public IngestMetrics.Snapshot snapshot()
    {
        return pipeline.metrics().snapshot();
    }

    long restarts()
    {
        return restarts.get();
    }

    IngestMetrics metrics()
    {
        return pipeline.metrics();
    }

    /** Stops the feed and waits until everything it sent is in Kafka. */
    @Override
    public void close()
    {
        thread.interrupt();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The ingester did not stop within {} s", STOP_TIMEOUT.toSeconds());
        }
    }
}
