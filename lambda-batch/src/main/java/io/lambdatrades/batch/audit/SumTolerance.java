package io.lambdatrades.batch.audit;

/**
 * How close two sums or ratios of the same doubles must be to be equal: taken in another order they
 * differ in their last bits. Prices are never compared this way, only exactly.
 */
final class SumTolerance
{
    private static final double RELATIVE = 1e-9;

    private SumTolerance() {}

    static boolean equal(double kept, double trades)
    {
        return Math.abs(kept - trades) <= RELATIVE * Math.max(1, Math.max(Math.abs(kept), Math.abs(trades)));
    }
}
