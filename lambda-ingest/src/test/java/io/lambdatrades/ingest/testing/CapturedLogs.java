package io.lambdatrades.ingest.testing;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

import java.io.StringWriter;

/** Everything logged while it is open, to check what a log shows (and what it must never show). */
public final class CapturedLogs
        implements AutoCloseable
{
    private final StringWriter writer = new StringWriter();
    private final LoggerContext context = LoggerContext.getContext(false);
    private final Appender appender;

    public CapturedLogs()
    {
        appender = WriterAppender.newBuilder()
                .setName("captured-" + System.identityHashCode(this))
                .setTarget(writer)
                .setLayout(PatternLayout.newBuilder().withPattern("%-5level %c{1} - %msg%n%throwable").build())
                .build();
        appender.start();
        Configuration configuration = context.getConfiguration();
        configuration.addAppender(appender);
        configuration.getRootLogger().addAppender(appender, Level.ALL, null);
        configuration.getLoggerConfig("io.lambdatrades").addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    public synchronized String text()
    {
        return writer.toString();
    }

    @Override
    public void close()
    {
        Configuration configuration = context.getConfiguration();
        configuration.getRootLogger().removeAppender(appender.getName());
        configuration.getLoggerConfig("io.lambdatrades").removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
