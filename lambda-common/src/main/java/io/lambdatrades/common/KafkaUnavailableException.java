package io.lambdatrades.common;

/** Kafka cannot be reached or refused an administrative request; the message says which and for what. */
public class KafkaUnavailableException
        extends RuntimeException
{
    public KafkaUnavailableException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
