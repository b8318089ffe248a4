package io.lambdatrades.scheduler;

import io.lambdatrades.common.UnabsorbedTrades;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Queues every period that is due and not queued yet. The first period is the one after the last the
 * schedule closed, else after the cutoff, else the one of the oldest trade not absorbed yet. Periods
 * missed while nothing ran are closed together by one catch-up run: one JVM, one Spark session and
 * one publish for all of them (a first start with days of history shows them all at once).
 */
public final class PeriodCloser
{
    private static final Logger log = LoggerFactory.getLogger(PeriodCloser.class);

    private final RunQueue queue;
    private final UnabsorbedTrades unabsorbed;
    private final Duration period;
    private final Duration delay;
    private volatile Instant lastFirstLook = Instant.MIN;

    public PeriodCloser(RunQueue queue, UnabsorbedTrades unabsorbed, Duration period, Duration delay)
    {
        this.queue = requireNonNull(queue, "queue is null");
        this.unabsorbed = requireNonNull(unabsorbed, "unabsorbed is null");
        this.period = requireNonNull(period, "period is null");
        this.delay = requireNonNull(delay, "delay is null");
    }

    /**
     * @param onTime whether this is a tick of the schedule on time: then the newest due period is the
     * schedule's, and the older ones (missed while nothing ran) are catch-up
     * @return the periods due, queued now or before
     */
    public List<BatchPeriod> closeDue(Instant now, boolean onTime)
            throws SQLException
    {
        Optional<Instant> from = queue.lastClosedEnd().or(this::cutoff).or(this::oldestUnabsorbed);
        if (from.isEmpty()) {
            return List.of();
        }
        List<BatchPeriod> due = BatchPeriod.due(from.get(), now, period, delay);
        if (due.isEmpty()) {
            return due;
        }
        List<BatchPeriod> missed = due.subList(0, due.size() - (onTime ? 1 : 0));
        int added = missed.isEmpty() ? 0
                : queue.enqueueClosing(List.of(new BatchPeriod(missed.get(0).start(), missed.get(missed.size() - 1).end())), "catch-up");
        if (onTime) {
            added += queue.enqueueClosing(due.subList(due.size() - 1, due.size()), "schedule");
        }
        if (added > 0) {
            log.info("Queued {} batch period(s) from {} to {}", added, due.get(0).start(), due.get(due.size() - 1).end());
        }
        return due;
    }

    /**
     * Until the first period is queued, looks again every so often for the first trade: a scheduler
     * started before any trade reached Kafka (a first {@code up} with days of history) still closes
     * those days without waiting for the next tick.
     */
    public void closeFirstPeriods(Instant now, Duration every)
            throws SQLException
    {
        if (now.isBefore(lastFirstLook.plus(every))) {
            return;
        }
        lastFirstLook = now;
        if (queue.lastClosedEnd().isEmpty() && queue.cutoff().isEmpty()) {
            closeDue(now, false);
        }
    }

    private Optional<Instant> cutoff()
    {
        try {
            return queue.cutoff();
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot read the cutoff: " + e.getMessage(), e);
        }
    }

    private Optional<Instant> oldestUnabsorbed()
    {
        try {
            return unabsorbed.oldest().flatMap(UnabsorbedTrades.Oldest::tradeTs);
        }
        catch (SQLException e) {
            throw new IllegalStateException("cannot read the absorbed offsets: " + e.getMessage(), e);
        }
    }
}
