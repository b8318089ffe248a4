package io.lambdatrades.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Another {@code lambda} command in a JVM of its own, as spark-submit would start it. */
final class LambdaJvm
{
    private LambdaJvm() {}

    /** The same java, JVM flags and classpath as this process, running another command. */
    static List<String> command(List<String> arguments)
    {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LambdaMain.class.getName());
        command.addAll(arguments);
        return List.copyOf(command);
    }
}
