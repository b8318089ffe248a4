package io.lambdatrades.launcher.status;

import java.time.Duration;

/** Whether the process behind a runtime file is alive and still writing it. */
public final class RunningSystem
{
    static final Duration STALE_AFTER = Duration.ofSeconds(15);

    private RunningSystem() {}

    public static boolean isAlive(RuntimeState state)
    {
        return "running".equals(state.state())
                && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false)
                && System.currentTimeMillis() - state.heartbeatAt() < STALE_AFTER.toMillis();
    }
}
