package io.lambdatrades.serving;

/**
 * What {@code lambda status} reports, as an object Jackson serialises: supplied by whoever runs the
 * serving layer, which knows where the system's parts live.
 */
@FunctionalInterface
public interface StatusSource
{
    Object status();
}
