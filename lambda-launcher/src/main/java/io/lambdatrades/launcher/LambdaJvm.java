package io.lambdatrades.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Another {@code lambda} command in a JVM of its own, as spark-submit would start it. */
final class LambdaJvm
{
    /** bin/lambda's default for every JVM but the speed layer's; LAMBDA_JAVA_OPTS, later on the line, may repeat it. */
    static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private LambdaJvm() {}

    /** The same java, JVM flags and classpath as this process, running another command. */
    static List<String> command(List<String> arguments)
    {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments(), arguments));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LambdaMain.class.getName());
        command.addAll(arguments);
        return List.copyOf(command);
    }

    /**
     * This JVM's options, but C2 back for the speed layer: it runs for months and may take tens of
     * thousands of trades a second, where C1's code falls behind. The others start faster with C1 alone.
     */
    static List<String> jvmOptions(List<String> inherited, List<String> arguments)
    {
        List<String> options = new ArrayList<>(inherited);
        if (!arguments.isEmpty() && arguments.get(0).equals("speed")) {
            // The first occurrence is bin/lambda's default; one the user added after it stays.
            options.remove(C1_ONLY);
        }
        return options;
    }
}
