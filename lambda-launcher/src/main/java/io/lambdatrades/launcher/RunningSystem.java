package io.lambdatrades.launcher;

import java.time.Duration;

/** Whether the process behind a runtime file is alive and still writing it. */
final class RunningSystem
{
    static final Duration STALE_AFTER = Duration.ofSeconds(15);

    private RunningSystem() {}

    static boolean isAlive(RuntimeState state)
    {
        return "running".equals(state.state())
                && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false)
                && System.currentTimeMillis() - state.heartbeatAt() < STALE_AFTER.toMillis();
    }
}
