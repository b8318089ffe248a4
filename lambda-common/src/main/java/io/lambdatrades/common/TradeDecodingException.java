package io.lambdatrades.common;

/** The bytes of a Kafka value are not a trade record. */
public class TradeDecodingException
        extends RuntimeException
{
    public TradeDecodingException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
