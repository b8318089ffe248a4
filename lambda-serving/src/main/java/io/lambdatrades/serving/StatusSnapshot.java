package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The system's status, probed at most once per {@code maxAgeMs}: a probe asks Kafka and PostgreSQL,
 * which is too slow to repeat for every request and every metric.
 */
final class StatusSnapshot
        implements Supplier<JsonNode>
{
    private static final Logger log = LoggerFactory.getLogger(StatusSnapshot.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatusSource source;
    private final long maxAgeMs;
    private JsonNode last;
    private long takenAt;

    StatusSnapshot(StatusSource source, long maxAgeMs)
    {
        this.source = requireNonNull(source, "source is null");
        this.maxAgeMs = maxAgeMs;
    }

    @Override
    public synchronized JsonNode get()
    {
        long now = System.currentTimeMillis();
        if (last == null || now - takenAt > maxAgeMs) {
            try {
                last = JSON.valueToTree(source.status());
            }
            catch (RuntimeException e) {
                log.warn("Cannot probe the system's status: {}", e.getMessage());
                last = JsonNodeFactory.instance.objectNode().put("healthy", false).put("error", String.valueOf(e.getMessage()));
            }
            takenAt = now;
        }
        return last;
    }
}
