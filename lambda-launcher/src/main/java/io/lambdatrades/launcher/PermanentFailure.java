package io.lambdatrades.launcher;

import io.lambdatrades.common.Failures;

/** A failure that another attempt would meet again: the command exits with {@code ExitCodes.PERMANENT_FAILURE}, which the scheduler does not retry. */
public final class PermanentFailure
        extends Exception
{
    public PermanentFailure(Exception cause)
    {
        super(Failures.oneLine(cause), cause);
    }
}
