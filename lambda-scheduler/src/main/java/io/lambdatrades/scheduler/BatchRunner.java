package io.lambdatrades.scheduler;

/** Runs the remaining tasks of a queued run, which records its own tasks and its success in the history. */
@FunctionalInterface
public interface BatchRunner
{
    /**
     * @throws BatchRunFailedException when the run did not succeed, with why in one line
     * @throws InterruptedException when the scheduler is stopping; the run is stopped too
     */
    void run(QueuedRun run)
            throws BatchRunFailedException, InterruptedException;

    final class BatchRunFailedException
            extends Exception
    {
        public BatchRunFailedException(String message)
        {
            super(message);
        }
    }
}
