package io.lambdatrades.launcher.status;

import io.lambdatrades.common.StatusFigures;
import io.lambdatrades.speed.SpeedMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SystemStatusTest
{
    private static final SystemStatus.Service UP = new SystemStatus.Service("up", null, null);

    @Test
    void theFiguresReadTheConfiguredTopicsAndEachLayer()
    {
        SystemStatus status = new SystemStatus(true, "/data", new SystemStatus.Disk(5_000, 10_000, 1_000), UP, UP,
                Map.of("ticks", new SystemStatus.Topic(1_200, 3), "ticks.dlq", new SystemStatus.Topic(7, 1), "trades", new SystemStatus.Topic(99, 3)),
                new SystemStatus.Batch("2026-12-04T00:00:00Z", 4L, null, List.of(), 0L, null, 168),
                Map.of("speed", new SystemStatus.Layer("running", 42L, null, 2L), "scheduler", new SystemStatus.Layer("restarting", null, "killed", null)),
                null,
                new SpeedMetrics(0, -1, 0, 900, 0, 10_000, 15, 3, SpeedMetrics.REAL_TIME),
                null, List.of());

        StatusFigures figures = status.figures("ticks", "ticks.dlq");

        assertThat(figures.healthy()).isTrue();
        assertThat(figures.tradesTopicRecords()).isEqualTo(1_200);
        assertThat(figures.deadLetterTopicRecords()).isEqualTo(7);
        assertThat(figures.batchLateTrades()).isEqualTo(4);
        assertThat(figures.dataFreeBytes()).isEqualTo(5_000);
        assertThat(figures.speed()).isEqualTo(new StatusFigures.Speed(15, 3, 900));
        assertThat(figures.ingest().trades()).isNaN();
        assertThat(figures.layer("speed")).isEqualTo(new StatusFigures.Layer(true, 2));
        assertThat(figures.layer("scheduler").running()).isFalse();
        assertThat(figures.layer("scheduler").restarts()).isNaN();
        assertThat(figures.layer("serving")).isEqualTo(StatusFigures.Layer.UNKNOWN);
    }

    @Test
    void aStatusThatCouldNotReadPostgresHasNoBatchFigures()
    {
        SystemStatus status = new SystemStatus(false, "/data", new SystemStatus.Disk(5_000, 10_000, 1_000), UP, new SystemStatus.Service("down", null, null),
                Map.of(), SystemStatus.Batch.unknown(), Map.of(), null, null, null, List.of("PostgreSQL does not answer"));

        StatusFigures figures = status.figures("trades", "trades.dlq");

        assertThat(figures.healthy()).isFalse();
        assertThat(figures.batchLateTrades()).isNaN();
        assertThat(figures.tradesTopicRecords()).isNaN();
        assertThat(figures.speed()).isEqualTo(StatusFigures.Speed.UNKNOWN);
    }
}
