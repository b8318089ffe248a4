package io.lambdatrades.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What one speed-layer commit wrote, sent with PostgreSQL's NOTIFY in the commit's transaction: per
 * Kafka partition, the range of offsets whose trades it inserted. The serving layer reads those rows
 * once and pushes them to its clients. Payload: {@code partition:first-last} joined by commas.
 */
public record SpeedCommitNotification(List<Range> ranges)
{
    public static final String CHANNEL = "lambda_speed";
    /** Sent by a publish: the cutoff moved and the batch views changed. */
    public static final String PUBLISH_CHANNEL = "lambda_publish";

    public SpeedCommitNotification
    {
        ranges = List.copyOf(requireNonNull(ranges, "ranges is null"));
    }

    /** Offsets first..last (both included) of one partition. */
    public record Range(int partition, long first, long last)
    {
        public Range
        {
            if (partition < 0 || first < 0 || last < first) {
                throw new IllegalArgumentException("bad range " + partition + ":" + first + "-" + last);
            }
        }
    }

    /** A trade a commit inserted. */
    public record Written(int partition, long offset) {}

    public static SpeedCommitNotification of(List<Written> written)
    {
        Map<Integer, long[]> bounds = new TreeMap<>();
        for (Written trade : written) {
            bounds.merge(trade.partition(), new long[] {trade.offset(), trade.offset()},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        List<Range> ranges = new ArrayList<>();
        bounds.forEach((partition, range) -> ranges.add(new Range(partition, range[0], range[1])));
        return new SpeedCommitNotification(ranges);
    }

    public String toPayload()
    {
        StringBuilder payload = new StringBuilder();
        for (Range range : ranges) {
            if (!payload.isEmpty()) {
                payload.append(',');
            }
            payload.append(range.partition()).append(':').append(range.first()).append('-').append(range.last());
        }
        return payload.toString();
    }

    /**
     * @throws IllegalArgumentException when the payload is not one this class wrote
     */
    public static SpeedCommitNotification parse(String payload)
    {
        List<Range> ranges = new ArrayList<>();
        if (payload.isBlank()) {
            return new SpeedCommitNotification(ranges);
        }
        try {
            for (String part : payload.split(",")) {
                int colon = part.indexOf(':');
                int dash = part.indexOf('-', colon);
                ranges.add(new Range(Integer.parseInt(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1, dash)), Long.parseLong(part.substring(dash + 1))));
            }
        }
        catch (RuntimeException e) {
            throw new IllegalArgumentException("not a speed commit notification: '" + payload + "'", e);
        }
        return new SpeedCommitNotification(ranges);
    }
}
