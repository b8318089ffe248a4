package io.lambdatrades.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LambdaJvmTest
{
    private static final List<String> UP = List.of(LambdaJvm.C1_ONLY, "-XX:+UseG1GC", "-Xmx768m");

    @Test
    void everyLayerButTheSpeedLayerKeepsC1Only()
    {
        assertThat(LambdaJvm.jvmOptions(UP, List.of("ingest"))).isEqualTo(UP);
        assertThat(LambdaJvm.jvmOptions(UP, List.of("batch", "run", "--run-id", "1"))).isEqualTo(UP);
        assertThat(LambdaJvm.jvmOptions(UP, List.of())).isEqualTo(UP);
    }

    @Test
    void theSpeedLayerGetsC2Back()
    {
        assertThat(LambdaJvm.jvmOptions(UP, List.of("speed", "--data-dir", "d"))).containsExactly("-XX:+UseG1GC", "-Xmx768m");
    }

    @Test
    void c1OnlyAskedForInLambdaJavaOptsStaysForTheSpeedLayer()
    {
        List<String> asked = List.of(LambdaJvm.C1_ONLY, "-XX:+UseG1GC", LambdaJvm.C1_ONLY);
        assertThat(LambdaJvm.jvmOptions(asked, List.of("speed"))).containsExactly("-XX:+UseG1GC", LambdaJvm.C1_ONLY);
    }
}
