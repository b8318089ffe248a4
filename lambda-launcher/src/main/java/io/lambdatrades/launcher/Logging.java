package io.lambdatrades.launcher;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

import java.nio.file.Path;

/**
 * Logs are quiet by default: warnings on the console, our lifecycle at INFO in
 * {@code <data-dir>/logs/lambda.log}; --verbose brings INFO to the console too.
 */
public final class Logging
{
    private Logging() {}

    public static void configure(Path logDir, boolean verbose)
    {
        configure(logDir, "lambda", verbose);
    }

    /** @param name the log file's name: each process of the system writes its own */
    public static void configure(Path logDir, String name, boolean verbose)
    {
        System.setProperty("lambda.log.dir", logDir.toString());
        System.setProperty("lambda.log.name", name);
        System.setProperty("lambda.console.level", verbose ? "INFO" : "WARN");
        Configurator.reconfigure();
        if (verbose) {
            Configurator.setLevel("io.lambdatrades", Level.INFO);
        }
    }
}
