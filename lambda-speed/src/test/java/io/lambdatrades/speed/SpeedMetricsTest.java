package io.lambdatrades.speed;

import org.junit.jupiter.api.Test;

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
}
