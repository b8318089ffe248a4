package io.lambdatrades.launcher.up;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import static java.util.Objects.requireNonNull;

/**
 * A service started on a thread of its own while {@code up} starts the others. Closing it waits
 * for the start to end, so that a service started after another one failed is still stopped.
 */
final class BackgroundStart<T extends AutoCloseable>
        implements AutoCloseable
{
    private final FutureTask<T> task;

    private BackgroundStart(FutureTask<T> task)
    {
        this.task = task;
    }

    static <T extends AutoCloseable> BackgroundStart<T> begin(String name, Callable<T> start)
    {
        requireNonNull(name, "name is null");
        FutureTask<T> task = new FutureTask<>(requireNonNull(start, "start is null"));
        new Thread(task, "lambda-start-" + name).start();
        return new BackgroundStart<>(task);
    }

    /** The started service, or what made the start fail, as the start threw it. */
    T await()
            throws InterruptedException
    {
        try {
            return task.get();
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close()
            throws Exception
    {
        T service;
        try {
            service = task.get();
        }
        catch (ExecutionException e) {
            // It never started: nothing to stop. Its failure reached the caller only if the caller awaited it.
            return;
        }
        service.close();
    }
}
