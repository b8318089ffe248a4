package io.lambdatrades.serving;

import io.lambdatrades.common.SpeedCommitNotification;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Bytes of one or more Server-Sent Events, encoded once and written to every client that takes them.
 *
 * @param ranges the Kafka offsets whose trades it carries; empty for frames without trades
 */
record StreamFrame(byte[] bytes, List<SpeedCommitNotification.Range> ranges)
{
    StreamFrame
    {
        requireNonNull(bytes, "bytes is null");
        ranges = List.copyOf(requireNonNull(ranges, "ranges is null"));
    }

    /** Whether every trade it carries lies below these next offsets: a resumed client had it in its backlog. */
    boolean below(Map<Integer, Long> nextOffsets)
    {
        return !ranges.isEmpty() && ranges.stream().allMatch(range -> range.last() < nextOffsets.getOrDefault(range.partition(), 0L));
    }
}
