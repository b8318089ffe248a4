package io.lambdatrades.scheduler;

/** Runs the remaining tasks of a queued run, which records its own tasks and its success in the history. */
@FunctionalInterface
public interface BatchRunner
{
    /**
     * @throws BatchRunFailedException when the run did not succeed, with why in one line and whether another attempt may succeed
     * @throws InterruptedException when the scheduler is stopping; the run is stopped too
     */
    void run(QueuedRun run)
            throws BatchRunFailedException, InterruptedException;

    final class BatchRunFailedException
            extends Exception
    {
        private final boolean retryable;

        /** @param retryable false when another attempt would fail the same way (bad data, an integrity error, a bug) */
        public BatchRunFailedException(String message, boolean retryable)
        {
            super(message);
            this.retryable = retryable;
        }

        public boolean retryable()
        {
            return retryable;
        }
    }
}
