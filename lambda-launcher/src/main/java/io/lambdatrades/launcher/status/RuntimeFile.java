package io.lambdatrades.launcher.status;

import java.nio.file.Path;
import java.util.Optional;

/** The runtime file of a data directory, {@code run/lambda.json}: where a running {@code up} and its services are. */
public final class RuntimeFile
{
    private final StateFile<RuntimeState> file;

    public RuntimeFile(Path dataDir)
    {
        this.file = new StateFile<>(dataDir, "lambda.json", RuntimeState.class);
    }

    public Path path()
    {
        return file.path();
    }

    public void write(RuntimeState state)
    {
        file.write(state);
    }

    public Optional<RuntimeState> read()
    {
        return file.read();
    }
}
