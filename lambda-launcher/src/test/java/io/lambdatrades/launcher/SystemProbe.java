package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.TestSql;

import org.awaitility.core.ConditionTimeoutException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** How the launcher's tests look at a running system: {@code lambda status --json}, its API's rows, SQL on its PostgreSQL. */
final class SystemProbe
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private SystemProbe() {}

    /** Polls {@code lambda status --json} (a JVM a poll, so every two seconds) until the condition holds; the last answer. */
    static JsonNode awaitStatus(Path dataDir, Predicate<JsonNode> condition, Duration timeout)
    {
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).until(() -> {
                last[0] = JSON.readTree(LambdaProcess.run(Map.of(), "status", "--data-dir", dataDir.toString(), "--json").stdout());
                return condition.test(last[0]);
            });
        }
        catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the last status: " + last[0], e);
        }
        return last[0];
    }

    /** The aggregate rows of an API answer ({@code {"rows": [...]}}), keyed as {@link ExpectedAggregates#of}. */
    static void readAggregates(String body, Map<String, Aggregate> into)
            throws Exception
    {
        for (JsonNode row : JSON.readTree(body).path("rows")) {
            into.put(row.path("symbol").asText() + "@" + row.path("bucketMs").asLong(), Aggregate.of(row.path("open").asDouble(), row.path("high").asDouble(),
                    row.path("low").asDouble(), row.path("close").asDouble(), row.path("volume").asDouble(), row.path("trades").asLong(), row.path("notional").asDouble()));
        }
    }

    /** The first column of every row, as text. */
    static List<String> query(PostgresConnection postgres, String sql)
            throws Exception
    {
        return TestSql.column(postgres, sql);
    }
}
