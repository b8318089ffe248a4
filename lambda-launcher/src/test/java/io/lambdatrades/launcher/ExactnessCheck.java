package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.KafkaTopics;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.lambdatrades.launcher.SystemProbe.logTails;
import static io.lambdatrades.launcher.SystemProbe.query;
import static io.lambdatrades.launcher.SystemProbe.readAggregates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The check that follows every fault of the whole-system tests, once the feed has stopped and every
 * delivered trade is in Kafka: each delivered trade is in Kafka once; after a batch run, in the master
 * dataset once; every merged minute, hourly and daily aggregate, in the serving views and through the
 * API, equals the aggregate of the trades; {@code lambda audit} (every day, and today by the minute)
 * finds nothing; every scheduled run succeeded with an audit of 0.
 *
 * @param environment what every {@code lambda} command of the test is run with (external services)
 * @param apiPort the serving layer's port
 * @param days how many days before today the feed's trades go back
 */
record ExactnessCheck(Path dataDir, Map<String, String> environment, List<String> symbols, int apiPort, int days)
{
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;

    void assertExact(DeliveringFeed feed, String bootstrapServers, String topic, PostgresConnection postgres)
            throws Exception
    {
        List<SentTrade> inKafka = KafkaTopics.readTrades(bootstrapServers, topic);
        assertThat(DeliveringFeed.counted(inKafka.stream().map(sent -> DeliveringFeed.key(sent.trade().symbol(), sent.trade().price(), sent.trade().volume(), sent.trade().ts())).toList()))
                .as("each delivered trade in Kafka once").isEqualTo(feed.deliveredCounts());

        // The next run absorbs what is left and recomputes the days late trades arrived for.
        LambdaProcess.Result run;
        try {
            run = LambdaProcess.run(environment, "batch", "run", "--data-dir", dataDir.toString());
        }
        catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + logTails(dataDir, 20), e);
        }
        if (run.exitCode() != 0) {
            throw new AssertionError("lambda batch run exited with " + run.exitCode() + ":\n" + run.stdout() + run.stderr() + logTails(dataDir, 20));
        }
        LambdaProcess.Result master = LambdaProcess.run(environment, "sql", "--data-dir", dataDir.toString(),
                "SELECT count(*) AS trades, count(DISTINCT kafka_partition, kafka_offset) AS distinct_offsets FROM lambda.trades_raw");
        assertThat(master.exitCode()).as(master.stderr()).isZero();
        int sent = feed.deliveredCount();
        assertThat(master.stdout()).as("each trade in the master dataset once").containsPattern("\\b" + sent + "\\s*\\|?\\s*" + sent + "\\b");

        Map<String, Map<String, Aggregate>> expected = Map.of(
                "minute", ExpectedAggregates.of(inKafka, MINUTE, Long.MAX_VALUE),
                "hourly", ExpectedAggregates.of(inKafka, HOUR, Long.MAX_VALUE),
                "daily", ExpectedAggregates.of(inKafka, DAY, Long.MAX_VALUE));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            try (Connection connection = postgres.open()) {
                for (Map.Entry<String, Map<String, Aggregate>> view : expected.entrySet()) {
                    ExpectedAggregates.assertSame(view.getValue(), ExpectedAggregates.read(connection,
                            "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.serving_" + view.getKey()));
                }
            }
        });
        String from = LocalDate.now(ZoneOffset.UTC).minusDays(days).toString();
        String to = LocalDate.now(ZoneOffset.UTC).toString();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, Aggregate> daily = new TreeMap<>();
            Map<String, Aggregate> hourly = new TreeMap<>();
            Map<String, Aggregate> minute = new TreeMap<>();
            for (String symbol : symbols) {
                String path = "http://127.0.0.1:" + apiPort + "/api/v1/symbols/" + URLEncoder.encode(symbol, StandardCharsets.UTF_8);
                readAggregates(get(path + "/daily?from=" + from + "&to=" + to), daily);
                readAggregates(get(path + "/candles?interval=1h&from=" + from + "T00:00:00Z&to=" + to + "T23:59:59Z"), hourly);
                readAggregates(get(path + "/candles?interval=1m&from=" + from + "T00:00:00Z&to=" + to + "T23:59:59Z"), minute);
            }
            ExpectedAggregates.assertSame(expected.get("daily"), daily);
            ExpectedAggregates.assertSame(expected.get("hourly"), hourly);
            ExpectedAggregates.assertSame(expected.get("minute"), minute);
        });

        LambdaProcess.Result audit = LambdaProcess.run(environment, "audit", "--data-dir", dataDir.toString());
        assertThat(audit.exitCode()).as(audit.stdout() + audit.stderr()).isZero();
        assertThat(audit.stdout()).contains("the serving views equal the trades").contains("symbol list: every symbol equal");
        LambdaProcess.Result auditToday = LambdaProcess.run(environment, "audit", "--date", to, "--data-dir", dataDir.toString());
        assertThat(auditToday.exitCode()).as(auditToday.stdout() + auditToday.stderr()).isZero();
        assertThat(query(postgres, "SELECT count(*) FILTER (WHERE state = 'success' AND audit_differences = 0) = count(*) FROM lambda.batch_runs")).containsExactly("t");
    }

    static String get(String url)
            throws Exception
    {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
