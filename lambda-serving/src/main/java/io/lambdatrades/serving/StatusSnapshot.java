package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.lambdatrades.common.StatusFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The system's status, probed at most once per {@code maxAgeMs}: a probe asks Kafka and PostgreSQL,
 * which is too slow to repeat for every request and every metric.
 */
final class StatusSnapshot
{
    private static final Logger log = LoggerFactory.getLogger(StatusSnapshot.class);
    private static final ObjectMapper JSON = ServingJson.mapper();

    private final StatusSource source;
    private final long maxAgeMs;
    private JsonNode document;
    private StatusFigures figures;
    private long takenAt;

    StatusSnapshot(StatusSource source, long maxAgeMs)
    {
        this.source = requireNonNull(source, "source is null");
        this.maxAgeMs = maxAgeMs;
    }

    /** The status as {@code /api/v1/status} returns it. */
    synchronized JsonNode document()
    {
        refresh();
        return document;
    }

    synchronized StatusFigures figures()
    {
        refresh();
        return figures;
    }

    private void refresh()
    {
        long now = System.currentTimeMillis();
        if (document != null && now - takenAt <= maxAgeMs) {
            return;
        }
        try {
            StatusSource.Status status = source.status();
            document = JSON.valueToTree(status.document());
            figures = status.figures();
        }
        catch (RuntimeException e) {
            log.warn("Cannot probe the system's status: {}", e.getMessage());
            document = JsonNodeFactory.instance.objectNode().put("healthy", false).put("error", String.valueOf(e.getMessage()));
            figures = StatusFigures.unknown();
        }
        takenAt = now;
    }
}
