package io.lambdatrades.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One line of a recording: {@code {"received_at": ms, "frame": "<the message as received>"}} as
 * {@code lambda record} writes it, or a bare Finnhub message (a seed-style capture), whose pace is
 * then taken from its first trade's time.
 *
 * @param pacingTime epoch ms to pace the replay by, when the line has one
 */
public record RecordedFrame(String frame, OptionalLong pacingTime)
{
    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedFrame
    {
        requireNonNull(frame, "frame is null");
        requireNonNull(pacingTime, "pacingTime is null");
    }

    public String toJsonLine(long receivedAt)
    {
        ObjectNode line = JSON.createObjectNode();
        line.put("received_at", receivedAt);
        line.put("frame", frame);
        return line.toString();
    }

    public static RecordedFrame parse(String line)
    {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        }
        catch (JacksonException e) {
            // Not JSON: replayed as it is, so that it lands in the dead-letter topic with its reason.
            return new RecordedFrame(line, OptionalLong.empty());
        }
        if (node != null && node.isObject() && node.path("frame").isTextual() && node.path("received_at").canConvertToLong()) {
            return new RecordedFrame(node.get("frame").asText(), OptionalLong.of(node.get("received_at").asLong()));
        }
        JsonNode firstTime = node == null ? null : node.path("data").path(0).get("t");
        return new RecordedFrame(line, firstTime != null && firstTime.canConvertToLong() ? OptionalLong.of(firstTime.asLong()) : OptionalLong.empty());
    }
}
