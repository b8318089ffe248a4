package io.lambdatrades.launcher;

import io.lambdatrades.common.Failures;

/** A failure that another attempt would meet again: the command exits with {@code ExitCodes.PERMANENT_FAILURE}, which the scheduler does not retry. */
final class PermanentFailure
        extends Exception
{
    PermanentFailure(Exception cause)
    {
        super(Failures.oneLine(cause), cause);
    }
}
