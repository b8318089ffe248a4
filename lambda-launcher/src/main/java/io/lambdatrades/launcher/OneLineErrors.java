package io.lambdatrades.launcher;

import io.lambdatrades.common.ExitCodes;
import io.lambdatrades.common.Failures;
import io.lambdatrades.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * Every failure is one line on stderr ({@code lambda: ...}), a stack trace only with --verbose.
 * Exit codes ({@link ExitCodes}): 2 for bad arguments or configuration, 1 for a failure while running,
 * 3 for a {@link PermanentFailure}, which another attempt would meet again.
 */
public final class OneLineErrors
        implements IExecutionExceptionHandler, IParameterExceptionHandler
{
    @Override
    public int handleParseException(ParameterException e, String[] args)
    {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("lambda: " + e.getMessage() + " (see 'lambda " + commandPath(e.getCommandLine()) + "--help')");
        err.flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult)
    {
        PrintWriter err = commandLine.getErr();
        if (e instanceof ConfigException config) {
            config.problems().forEach(problem -> err.println("lambda: configuration: " + problem));
            err.flush();
            return ExitCodes.USAGE;
        }
        if (parseResult.expandedArgs().contains("--verbose") || parseResult.expandedArgs().contains("-v")) {
            e.printStackTrace(err);
        }
        err.println("lambda: " + Failures.oneLine(e));
        err.flush();
        return e instanceof PermanentFailure ? ExitCodes.PERMANENT_FAILURE : ExitCodes.FAILURE;
    }

    private static String commandPath(CommandLine commandLine)
    {
        String path = commandLine.getCommandSpec().qualifiedName(" ");
        return path.startsWith("lambda ") ? path.substring("lambda ".length()) + " " : "";
    }
}
