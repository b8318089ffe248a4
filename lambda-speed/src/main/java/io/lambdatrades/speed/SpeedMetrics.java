package io.lambdatrades.speed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * How the speed layer keeps up, from the query's last progress and the sink's counters.
 *
 * @param inputRowsPerSecond trades arriving in Kafka, per second, over the last micro-batch
 * @param processedRowsPerSecond trades the last micro-batch processed per second of its duration
 * @param batchDurationMs duration of the last micro-batch
 * @param delayMs now minus the newest trade time written; -1 before the first trade
 * @param lag records in Kafka not yet read by the query, summed over partitions; -1 before the query's first
 *         progress and when the last one is more than 30 s old (Kafka does not answer)
 * @param mode realtime or microbatch; in real-time mode there are no batches (batch id -1, duration 0) and
 *         the lag is Kafka's end offsets minus what was written
 */
public record SpeedMetrics(long updatedAt, long batchId, double inputRowsPerSecond, double processedRowsPerSecond, long batchDurationMs,
        long trades, long delayMs, long lag, String mode)
{
    public static final String REAL_TIME = "realtime";
    public static final String MICRO_BATCH = "microbatch";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STALE_PROGRESS_MS = 30_000;

    public static SpeedMetrics of(StreamingQueryProgress progress, long written, long newestTradeTs, long now)
    {
        if (progress == null) {
            return new SpeedMetrics(now, -1, 0, 0, 0, written, delay(newestTradeTs, now), -1, MICRO_BATCH);
        }
        long lag = 0;
        for (SourceProgress source : progress.sources()) {
            lag += behind(source.endOffset(), source.latestOffset());
        }
        return new SpeedMetrics(now, progress.batchId(), finite(progress.inputRowsPerSecond()), finite(progress.processedRowsPerSecond()),
                progress.batchDuration(), written, delay(newestTradeTs, now), currentLag(lag, progress.timestamp(), now), MICRO_BATCH);
    }

    /**
     * Real-time mode's figures, from two samples a moment apart of what the writers committed and of Kafka's end offsets.
     *
     * @param lag Kafka's end offsets minus the offsets written, -1 when unknown
     */
    public static SpeedMetrics realTime(long now, long written, long newestTradeTs, double inputRowsPerSecond, double writtenPerSecond, long lag)
    {
        return new SpeedMetrics(now, -1, finite(inputRowsPerSecond), finite(writtenPerSecond), 0, written, delay(newestTradeTs, now), lag, REAL_TIME);
    }

    /** One line for people. */
    public String describe()
    {
        if (REAL_TIME.equals(mode)) {
            return String.format(Locale.ROOT, "%,.0f trades/s in, %,.0f/s written, real-time mode, delay %s, lag %s, %,d trades written",
                    inputRowsPerSecond, processedRowsPerSecond,
                    delayMs < 0 ? "none yet" : String.format(Locale.ROOT, "%,d ms", delayMs),
                    lag < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", lag), trades);
        }
        return String.format(Locale.ROOT, "%,.0f trades/s in, %,.0f/s processed, batch %,d ms, delay %s, lag %s, %,d trades written",
                inputRowsPerSecond, processedRowsPerSecond, batchDurationMs,
                delayMs < 0 ? "none yet" : String.format(Locale.ROOT, "%,d ms", delayMs),
                lag < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", lag), trades);
    }

    /**
     * The last progress's lag, or unknown (-1) when that progress is old: an idle query still reports
     * every 10 s, so an older one means the query is stuck asking Kafka for offsets.
     */
    static long currentLag(long lag, String progressTimestamp, long now)
    {
        if (progressTimestamp == null) {
            return -1;
        }
        try {
            return now - Instant.parse(progressTimestamp).toEpochMilli() > STALE_PROGRESS_MS ? -1 : lag;
        }
        catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** Offsets come as {"topic":{"0":12,"1":7}}. */
    static long behind(String endOffset, String latestOffset)
    {
        if (endOffset == null || latestOffset == null) {
            return 0;
        }
        try {
            JsonNode end = JSON.readTree(endOffset);
            JsonNode latest = JSON.readTree(latestOffset);
            long behind = 0;
            for (Iterator<Map.Entry<String, JsonNode>> topics = latest.fields(); topics.hasNext(); ) {
                Map.Entry<String, JsonNode> topic = topics.next();
                for (Iterator<Map.Entry<String, JsonNode>> partitions = topic.getValue().fields(); partitions.hasNext(); ) {
                    Map.Entry<String, JsonNode> partition = partitions.next();
                    long read = end.path(topic.getKey()).path(partition.getKey()).asLong(0);
                    behind += Math.max(0, partition.getValue().asLong() - read);
                }
            }
            return behind;
        }
        catch (JsonProcessingException e) {
            return 0;
        }
    }

    private static long delay(long newestTradeTs, long now)
    {
        return newestTradeTs == Long.MIN_VALUE ? -1 : Math.max(0, now - newestTradeTs);
    }

    private static double finite(double value)
    {
        return Double.isFinite(value) ? value : 0;
    }
}
