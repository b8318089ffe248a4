package io.lambdatrades.speed;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SpeedMetricsTest
{
    @Test
    void lagIsWhatKafkaHasBeyondWhatTheQueryRead()
    {
        assertThat(SpeedMetrics.behind("{\"trades\":{\"0\":10,\"1\":5,\"2\":7}}", "{\"trades\":{\"0\":15,\"1\":5,\"2\":9}}")).isEqualTo(7);
        // A partition the query has not read yet counts whole.
        assertThat(SpeedMetrics.behind("{\"trades\":{\"0\":10}}", "{\"trades\":{\"0\":10,\"1\":4}}")).isEqualTo(4);
        assertThat(SpeedMetrics.behind(null, "{\"trades\":{\"0\":10}}")).isZero();
        assertThat(SpeedMetrics.behind("not json", "{}")).isZero();
    }

    @Test
    void lagIsUnknownOnceTheLastProgressIsStale()
    {
        long now = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

        assertThat(SpeedMetrics.currentLag(42, "2026-12-01T11:59:50.123Z", now)).isEqualTo(42);
        assertThat(SpeedMetrics.currentLag(0, "2026-12-01T11:59:00.000Z", now)).isEqualTo(-1);
        assertThat(SpeedMetrics.currentLag(0, null, now)).isEqualTo(-1);
    }
}
