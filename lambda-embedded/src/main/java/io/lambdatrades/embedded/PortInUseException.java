package io.lambdatrades.embedded;

/** A configured port is taken by another process. */
public class PortInUseException
        extends RuntimeException
{
    public PortInUseException(String message)
    {
        super(message);
    }
}
