package io.lambdatrades.launcher;

import picocli.CommandLine;

import java.util.Optional;

/** Entry point of {@code bin/lambda}. */
public final class LambdaMain
{
    private LambdaMain() {}

    public static void main(String[] args)
    {
        ParentWatch.startIfChild(Optional.ofNullable(System.getenv(ParentWatch.ENV)));
        int exitCode = newCommandLine().execute(args);
        // Kafka, PostgreSQL and Spark leave non-daemon threads behind: end the JVM explicitly.
        System.exit(exitCode);
    }

    static CommandLine newCommandLine()
    {
        CommandLine commandLine = new CommandLine(new LambdaCommand());
        commandLine.setExecutionExceptionHandler(new OneLineErrors());
        commandLine.setParameterExceptionHandler(new OneLineErrors());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        return commandLine;
    }
}
