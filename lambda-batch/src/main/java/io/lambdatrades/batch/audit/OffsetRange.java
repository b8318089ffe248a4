package io.lambdatrades.batch.audit;

/** Offsets of one partition of the trade topic, from first to end, end excluded. */
public record OffsetRange(int partition, long first, long end)
{
    public OffsetRange
    {
        if (end <= first) {
            throw new IllegalArgumentException("empty offset range " + first + " to " + end);
        }
    }

    public long count()
    {
        return end - first;
    }

    @Override
    public String toString()
    {
        return "partition " + partition + " " + (count() == 1 ? "offset " + first : "offsets " + first + "-" + (end - 1));
    }
}
