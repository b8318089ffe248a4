package io.lambdatrades.launcher.up;

import io.lambdatrades.launcher.LambdaMain;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Another {@code lambda} command in a JVM of its own, as spark-submit would start it. */
public final class LambdaJvm
{
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String COMPILER_FLAG = "-XX:TieredStopAtLevel=";
    /**
     * The speed layer keeps C2: with C1 alone its real-time mode falls behind at 50,000 trades/s. So does
     * the serving layer: with C1 alone its uncached symbol list at 1,000 requests a second took a core and
     * a p99 of 244 ms, against 0.6 of a core and 19 ms with C2 (docs/benchmarks.md). Every other JVM
     * starts with C1 only, whose code is fast enough for its load and whose compilations do not hold up
     * the others when they all start at once; bin/lambda makes the same choice for the JVM it starts.
     */
    private static final Set<String> C2_COMMANDS = Set.of("speed", "serve");

    private LambdaJvm() {}

    /** The same java, JVM flags and classpath as this process, running another command. */
    public static List<String> command(List<String> arguments)
    {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), arguments, Optional.ofNullable(System.getenv("LAMBDA_JAVA_OPTS")).orElse("")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LambdaMain.class.getName());
        command.addAll(arguments);
        return List.copyOf(command);
    }

    /**
     * This JVM's options with the compiler of the child's command (C2 for the speed layer, C1 only for
     * the others); a compiler chosen in LAMBDA_JAVA_OPTS wins.
     *
     * @param arguments the child's lambda command and options
     */
    static List<String> jvmOptions(List<String> inherited, List<String> arguments, String userOptions)
    {
        List<String> options = new ArrayList<>(inherited.stream().filter(option -> !option.startsWith(COMPILER_FLAG)).toList());
        if (arguments.isEmpty() || !C2_COMMANDS.contains(arguments.get(0))) {
            options.add(C1_ONLY);
        }
        Arrays.stream(userOptions.trim().split("\\s+")).filter(option -> option.startsWith(COMPILER_FLAG)).forEach(options::add);
        return options;
    }
}
