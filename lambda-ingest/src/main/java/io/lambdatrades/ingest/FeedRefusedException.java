package io.lambdatrades.ingest;

/** The feed refused us for good (a bad token): retrying cannot help, so the ingester stops. */
public class FeedRefusedException
        extends RuntimeException
{
    public FeedRefusedException(String message)
    {
        super(message);
    }
}
