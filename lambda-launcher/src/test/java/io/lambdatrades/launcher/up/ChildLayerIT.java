package io.lambdatrades.launcher.up;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChildLayerIT
{
    @Test
    void aLayerThatFailsLeavesItsOwnOneLineErrorForStatus(@TempDir Path dir)
    {
        // A child that fails at once with one line of its own, as a layer does on a permanent error.
        ChildLayer layer = new ChildLayer("audit", List.of("audit", "--grain", "week", "--data-dir", dir.toString()), Map.of(),
                dir.resolve("logs").resolve("audit.out"), exitCode -> ChildLayer.Exit.FAILED);
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
}
