package io.lambdatrades.launcher.up;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LambdaJvmTest
{
    // up's own JVM: bin/lambda gave it C1 only; the heap came from LAMBDA_JAVA_OPTS.
    private static final List<String> UP = List.of(LambdaJvm.C1_ONLY, "-XX:+UseG1GC", "-Xmx768m");
    // A scheduler's JVM, C1 only, starting a batch run.
    private static final List<String> SCHEDULER = List.of(LambdaJvm.C1_ONLY, "-XX:+UseG1GC");

    @Test
    void everyLayerButTheSpeedAndServingLayersGetsC1Only()
    {
        for (String layer : List.of("scheduler", "ingest", "batch")) {
            assertThat(LambdaJvm.jvmOptions(UP, List.of(layer), "-Xmx768m")).containsExactly("-XX:+UseG1GC", "-Xmx768m", LambdaJvm.C1_ONLY);
        }
        // A batch run's JVM: its command is added later.
        assertThat(LambdaJvm.jvmOptions(SCHEDULER, List.of(), "")).containsExactly("-XX:+UseG1GC", LambdaJvm.C1_ONLY);
    }

    @Test
    void theSpeedAndServingLayersKeepC2()
    {
        assertThat(LambdaJvm.jvmOptions(UP, List.of("speed", "--data-dir", "d"), "-Xmx768m")).containsExactly("-XX:+UseG1GC", "-Xmx768m");
        assertThat(LambdaJvm.jvmOptions(UP, List.of("serve", "--data-dir", "d"), "-Xmx768m")).containsExactly("-XX:+UseG1GC", "-Xmx768m");
        assertThat(LambdaJvm.jvmOptions(SCHEDULER, List.of("speed"), "")).containsExactly("-XX:+UseG1GC");
    }

    @Test
    void aCompilerChosenInLambdaJavaOptsWins()
    {
        List<String> inherited = List.of("-XX:+UseG1GC", "-XX:TieredStopAtLevel=4");
        assertThat(LambdaJvm.jvmOptions(inherited, List.of("scheduler"), " -Xmx1g  -XX:TieredStopAtLevel=4 "))
                .containsExactly("-XX:+UseG1GC", LambdaJvm.C1_ONLY, "-XX:TieredStopAtLevel=4");
        assertThat(LambdaJvm.jvmOptions(inherited, List.of("speed"), "-XX:TieredStopAtLevel=1"))
                .containsExactly("-XX:+UseG1GC", LambdaJvm.C1_ONLY);
    }
}
