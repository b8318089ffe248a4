package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.PortAllocator;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.TestTrades;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static io.lambdatrades.launcher.SystemProbe.query;
import static io.lambdatrades.launcher.SystemProbe.readAggregates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster route with the same jar, by configuration alone: the master dataset and the views on
 * HDFS (a MiniDFSCluster in this JVM), PostgreSQL a server from the system's packages, Kafka an
 * external broker; {@code lambda scheduler} closes the past days by itself and {@code lambda serve}
 * answers from that PostgreSQL.
 */
@ExtendWith(SharedKafka.class)
class ClusterRouteIT
{
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "BINANCE:BTCUSDT", "OANDA:EUR_USD");
    private static final long DAY = 86_400_000L;

    @TempDir
    java.nio.file.Path dir;

    @Test
    void theSchedulerAndServingLayersRunOnHdfsAndAnExternalPostgres(EmbeddedKafka kafka)
            throws Exception
    {
        Configuration hadoop = new Configuration();
        hadoop.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        try (MiniDFSCluster hdfs = new MiniDFSCluster.Builder(hadoop).numDataNodes(1).build();
                ExternalPostgres postgres = ExternalPostgres.start()) {
            String namenode = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
            String topic = KafkaTopics.createTradeTopics(kafka, "cluster-route");
            LocalDate day = UtcDay.stableFor(Duration.ofMinutes(8));
            long today = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            TestTrades.produce(kafka.bootstrapServers(), topic, spread(new Random(31), 3_000, today - 2 * DAY, System.currentTimeMillis() - 60_000));
            int port = new PortAllocator().free();
            Map<String, String> environment = Map.of(
                    "LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "LAMBDA_KAFKA_TOPIC", topic,
                    "LAMBDA_KAFKA_DLQ_TOPIC", topic + ".dlq",
                    "LAMBDA_POSTGRES_JDBC_URL", postgres.jdbcUrl(),
                    "LAMBDA_WAREHOUSE_DIR", namenode + "/lambda/warehouse",
                    "LAMBDA_VIEWS_DIR", namenode + "/lambda/views",
                    "LAMBDA_BATCH_AUDIT", "true",
                    "LAMBDA_BATCH_DELAY", UtcDay.NO_BATCH_DELAY);
            String dataDir = dir.resolve("data").toString();
            PostgresConnection database = new PostgresConnection(postgres.jdbcUrl(), "postgres", "");
            try (LambdaProcess scheduler = LambdaProcess.start(environment, "scheduler", "--data-dir", dataDir);
                    LambdaProcess serving = LambdaProcess.start(environment, "serve", "--port", Integer.toString(port), "--data-dir", dataDir)) {
                // The schema is there once the scheduler has migrated it.
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> query(database, "SELECT count(*) FILTER (WHERE state = 'success') || ' ' || count(*) FROM lambda.batch_runs").equals(List.of("1 1")));
                assertThat(query(database, "SELECT trigger || ' ' || audit_differences FROM lambda.batch_runs")).containsExactly("catch-up 0");

                // Every file where the configuration put it: on HDFS.
                FileSystem fs = hdfs.getFileSystem();
                for (int back = 2; back >= 1; back--) {
                    String date = day.minusDays(back).toString();
                    assertThat(fs.listStatus(new Path("/lambda/warehouse/lambda.db/trades_raw/trade_date=" + date))).as("master dataset " + date)
                            .anyMatch(file -> file.getPath().getName().endsWith(".avro"));
                    assertThat(fs.listStatus(new Path("/lambda/views/daily/trade_date=" + date))).as("daily view " + date)
                            .anyMatch(file -> file.getPath().getName().endsWith(".parquet"));
                }
                assertThat(dir.resolve("data").resolve("warehouse")).doesNotExist();
                assertThat(dir.resolve("data").resolve("views")).doesNotExist();

                Map<String, Aggregate> expected = ExpectedAggregates.of(KafkaTopics.readTrades(kafka.bootstrapServers(), topic), DAY, today);
                try (Connection connection = database.open()) {
                    ExpectedAggregates.assertSame(expected, ExpectedAggregates.read(connection,
                            "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.batch_daily"));
                }
                Map<String, Aggregate> answered = new TreeMap<>();
                for (String symbol : SYMBOLS) {
                    String url = "http://127.0.0.1:" + port + "/api/v1/symbols/" + URLEncoder.encode(symbol, StandardCharsets.UTF_8) + "/daily?from="
                            + day.minusDays(2) + "&to=" + day.minusDays(1);
                    HttpResponse<String> response = await().atMost(Duration.ofMinutes(1)).until(() -> HttpClient.newHttpClient()
                            .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()), answer -> answer.statusCode() == 200);
                    readAggregates(response.body(), answered);
                }
                ExpectedAggregates.assertSame(expected, answered);

                // No speed layer runs on this route: the audit finds every view equal to its trades, but today's trades unwritten, and fails.
                LambdaProcess.Result audit = LambdaProcess.run(environment, "audit", "--wait", "2s", "--data-dir", dataDir);
                assertThat(audit.exitCode()).as(audit.stdout() + audit.stderr()).isOne();
                assertThat(audit.stdout()).as(audit.stdout()).contains("master dataset: every absorbed offset once")
                        .contains("lambda audit: the speed layer is behind Kafka in ");
                scheduler.interrupt();
                serving.interrupt();
                assertThat(scheduler.waitFor(Duration.ofMinutes(1))).isZero();
                assertThat(serving.waitFor(Duration.ofMinutes(1))).isZero();
            }
        }
    }

    /** Trades spread evenly from {@code from} to {@code to}, in bursts of one millisecond now and then. */
    private static List<Trade> spread(Random random, int count, long from, long to)
    {
        List<Trade> trades = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long ts = from + (to - from) * (random.nextInt(5) == 0 ? Math.max(0, i - 1) : i) / count;
            String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            double volume = symbol.startsWith("OANDA:") ? 0 : Math.round(random.nextDouble() * 1_000) / 100.0;
            trades.add(new Trade(symbol, Math.round((100 + random.nextGaussian()) * 100) / 100.0, volume, ts, List.of(), "replay", ts));
        }
        return trades;
    }
}
