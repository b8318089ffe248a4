package io.lambdatrades.ingest;

/** Stopping is done by interrupting the ingest thread; the final flush and close must still run. */
final class Interrupts
{
    private Interrupts() {}

    /** Runs the action with the interrupt flag cleared (Kafka's client aborts on it), then restores the flag. */
    static void runUninterrupted(Runnable action)
    {
        boolean interrupted = Thread.interrupted();
        try {
            action.run();
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
