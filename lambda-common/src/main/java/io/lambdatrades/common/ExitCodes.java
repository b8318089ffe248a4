package io.lambdatrades.common;

/** The exit codes of the lambda commands, on which a supervisor or the scheduler acts. */
public final class ExitCodes
{
    /** A failure while running that another attempt may cure (or, for the audit, a difference). */
    public static final int FAILURE = 1;
    /** Bad arguments or configuration. */
    public static final int USAGE = 2;
    /** A failure another attempt would meet again (bad data, an integrity error, a bug): not retried. */
    public static final int PERMANENT_FAILURE = 3;

    private ExitCodes() {}
}
