package io.lambdatrades.scheduler;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;

import java.time.Duration;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** The default schedule: each batch period's end plus the delay for late trades (00:15 UTC for days). */
public final class PeriodEndSchedule
        implements Schedule
{
    private final Duration period;
    private final Duration delay;

    public PeriodEndSchedule(Duration period, Duration delay)
    {
        this.period = requireNonNull(period, "period is null");
        this.delay = requireNonNull(delay, "delay is null");
    }

    @Override
    public Instant getNextExecutionTime(ExecutionComplete complete)
    {
        return BatchPeriod.nextDue(complete.getTimeDone(), period, delay);
    }

    @Override
    public Instant getInitialExecutionTime(Instant now)
    {
        return BatchPeriod.nextDue(now, period, delay);
    }

    @Override
    public boolean isDeterministic()
    {
        return true;
    }

    @Override
    public String toString()
    {
        return "PeriodEndSchedule[period=" + period + ", delay=" + delay + "]";
    }
}
