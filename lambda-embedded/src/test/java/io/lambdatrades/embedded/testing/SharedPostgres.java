package io.lambdatrades.embedded.testing;

import io.lambdatrades.embedded.EmbeddedPostgresServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One embedded PostgreSQL server for the whole test JVM, for parameters of type {@link EmbeddedPostgresServer}. */
public final class SharedPostgres
        implements ParameterResolver
{
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == EmbeddedPostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(EmbeddedPostgresServer.class, key -> start(), EmbeddedPostgresServer.class);
    }

    private static EmbeddedPostgresServer start()
    {
        try {
            return EmbeddedPostgresServer.start(Files.createTempDirectory("shared-postgres"), binariesDir(), 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Binaries are unpacked once per machine, as the product does under its data directory. */
    public static Path binariesDir()
    {
        return Path.of(System.getProperty("java.io.tmpdir"), "lambda-test-pg-binaries");
    }
}
