package io.lambdatrades.common.config;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * When the scheduler closes batch periods and how it retries.
 *
 * @param delay how long after a period's end it is closed, for late trades
 * @param cron when set, the times of the runs instead of each period's end plus the delay
 * @param retries retries of a failed run before it is marked failed
 * @param retryBackoff the wait before the first retry, doubled for each next one
 */
public record SchedulerConfig(boolean enabled, Duration delay, Optional<String> cron, int retries, Duration retryBackoff)
{
    public SchedulerConfig
    {
        requireNonNull(delay, "delay is null");
        requireNonNull(cron, "cron is null");
        requireNonNull(retryBackoff, "retryBackoff is null");
    }

    static SchedulerConfig from(ConfigValues values)
    {
        return new SchedulerConfig(
                values.get(Settings.SCHEDULER_ENABLED),
                values.get(Settings.BATCH_DELAY),
                values.get(Settings.BATCH_SCHEDULE),
                values.get(Settings.BATCH_RETRIES),
                values.get(Settings.BATCH_RETRY_BACKOFF));
    }
}
