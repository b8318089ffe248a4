package io.lambdatrades.launcher.up;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChildLayerIT
{
    @Test
    void aLayerThatFailsLeavesItsOwnOneLineErrorForStatus(@TempDir Path dir)
    {
        ChildLayer layer = failingAudit(dir, exitCode -> ChildLayer.Exit.FAILED);
        layer.start();
        try {
            await().atMost(Duration.ofMinutes(1)).until(() -> layer.state().equals("failed"));
            assertThat(layer.lastError()).startsWith("exited with code 2: ").contains("'week' is not a grain: minute, hour or day")
                    .endsWith("(see " + dir.resolve("logs").resolve("audit.out") + ")");
        }
        finally {
            layer.close();
        }
    }

    @Test
    void aChildGoneBeforeItsSupervisorSawTheExitIsNotRunning(@TempDir Path dir)
            throws Exception
    {
        // The policy holds the supervisor between the child's exit and its decision: status reads the layer meanwhile.
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch exitSeen = new CountDownLatch(1);
        ChildLayer layer = failingAudit(dir, holding(exitSeen, decided, ChildLayer.Exit.FAILED));
        layer.start();
        try {
            assertThat(exitSeen.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(layer.state()).isEqualTo("exited");
            assertThat(layer.pid()).isEqualTo(-1);
            decided.countDown();
            await().atMost(Duration.ofMinutes(1)).until(() -> layer.state().equals("failed"));
        }
        finally {
            decided.countDown();
            layer.close();
        }
    }

    @Test
    void aChildThatEndsAsUpStopsIsNoRestart(@TempDir Path dir)
            throws Exception
    {
        // A signal to up's whole process group ends the child as up begins to stop: the supervisor sees the
        // exit first, the stop while it decides (close interrupts the policy's wait).
        CountDownLatch exitSeen = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ChildLayer layer = failingAudit(dir, holding(exitSeen, never, ChildLayer.Exit.RESTART));
        layer.start();
        assertThat(exitSeen.await(1, TimeUnit.MINUTES)).isTrue();

        layer.close();

        assertThat(layer.state()).isEqualTo("stopped");
        assertThat(layer.restarts()).isZero();
    }

    /** A child that fails at once with one line of its own, as a layer does on a permanent error. */
    private static ChildLayer failingAudit(Path dir, ChildLayer.ExitPolicy policy)
    {
        return new ChildLayer("audit", List.of("audit", "--grain", "week", "--data-dir", dir.toString()), Map.of(), dir.resolve("logs").resolve("audit.out"), policy);
    }

    /** Says when the supervisor has seen the exit, and holds its decision until released (or interrupted by close). */
    private static ChildLayer.ExitPolicy holding(CountDownLatch exitSeen, CountDownLatch release, ChildLayer.Exit decision)
    {
        return exitCode -> {
            exitSeen.countDown();
            awaitQuietly(release);
            return decision;
        };
    }

    private static void awaitQuietly(CountDownLatch latch)
    {
        try {
            latch.await(1, TimeUnit.MINUTES);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
