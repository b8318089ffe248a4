package io.lambdatrades.common;

/**
 * A failure as the one line a user reads in a history or on a console: the first line of its message
 * (Spark's carry a driver stack trace after it), then its root cause's message when the message does
 * not say it already, as when a task fails on a full disk: "Task failed while writing rows to ... (cause: No space left on device)".
 */
public final class Failures
{
    private Failures() {}

    public static String oneLine(Throwable failure)
    {
        String line = firstLine(failure);
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == failure || root.getMessage() == null || root.getMessage().isBlank()) {
            // A cause without words (a bare timeout) adds nothing to a message that has some.
            return line;
        }
        String cause = firstLine(root);
        return line.contains(cause) ? line : line + " (cause: " + cause + ")";
    }

    private static String firstLine(Throwable failure)
    {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        return message.strip().lines().findFirst().orElseThrow().strip();
    }
}
