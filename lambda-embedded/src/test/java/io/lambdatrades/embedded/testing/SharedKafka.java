package io.lambdatrades.embedded.testing;

import io.lambdatrades.embedded.EmbeddedKafka;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One embedded broker for the whole test JVM, handed to test constructors and methods that ask
 * for an {@link EmbeddedKafka}. Tests share it, so each uses topics of its own.
 */
public final class SharedKafka
        implements ParameterResolver
{
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(EmbeddedKafka.class, key -> start(), EmbeddedKafka.class);
    }

    private static EmbeddedKafka start()
    {
        try {
            return EmbeddedKafka.start(Files.createTempDirectory("shared-kafka"), 0, 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
