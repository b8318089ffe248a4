package io.lambdatrades.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.ConfigLoader;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.common.config.Settings;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.TestSql;
import io.lambdatrades.launcher.status.StatusProbe;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/** How the launcher's tests look at a running system: {@code lambda status --json}, its API's rows, SQL on its PostgreSQL. */
final class SystemProbe
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private SystemProbe() {}

    /**
     * Polls the status {@code lambda status --json} prints, until the condition holds; the last answer.
     * The command's own probe runs here, not in a JVM a poll: a {@code lambda status} costs seconds of
     * CPU that the system under test needs on a machine of two cores. Its exit codes and its output
     * are tested apart ({@code CommandErrorsIT}, {@code LambdaUpIT}).
     */
    static JsonNode awaitStatus(Path dataDir, Predicate<JsonNode> condition, Duration timeout)
    {
        StatusProbe probe = new StatusProbe(LambdaConfig.load(Optional.empty(), Map.of(),
                Map.of(Settings.DATA_DIR.key(), new ConfigLoader.Origin(dataDir.toString(), "--data-dir"))));
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).until(() -> {
                last[0] = JSON.valueToTree(probe.probe());
                return condition.test(last[0]);
            });
        }
        catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the last status: " + last[0], e);
        }
        return last[0];
    }

    /** The last lines of each log of the data directory: why a command waited or failed, once a temporary directory is gone. */
    static String logTails(Path dataDir, int lines)
            throws IOException
    {
        Path logDir = dataDir.resolve("logs");
        if (!Files.isDirectory(logDir)) {
            return "\n(no " + logDir + ")";
        }
        StringBuilder tails = new StringBuilder();
        try (Stream<Path> logs = Files.list(logDir)) {
            for (Path log : logs.filter(path -> path.toString().endsWith(".log")).sorted().toList()) {
                List<String> all = Files.readAllLines(log);
                tails.append("\n--- ").append(log.getFileName()).append(", last lines:\n")
                        .append(String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
            }
        }
        return tails.toString();
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
