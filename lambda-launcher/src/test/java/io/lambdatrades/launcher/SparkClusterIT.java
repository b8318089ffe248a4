package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.PortAllocator;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedSpeedViews;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestTrades;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code lambda speed} and {@code lambda batch run} as drivers of a standalone Spark cluster (a master
 * and a worker in processes of their own, started from the product's classpath): their tasks run in an
 * executor JVM the worker launches, configured by {@code spark.master} and {@code spark.properties.file} alone.
 */
@ExtendWith({SharedKafka.class, SharedPostgres.class})
class SparkClusterIT
{
    private static final Path HOME = Path.of(System.getProperty("lambda.home", "..")).toAbsolutePath().normalize();
    private static final String CLASSPATH = HOME.resolve("lambda-launcher/target/lambda-launcher.jar") + ":" + HOME.resolve("lambda-launcher/target/lib/*");

    private static final long BASE_TS = 1_763_000_000_000L;
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    @Test
    void theSpeedLayerRunsItsKafkaReadsOnAClusterExecutorAndItsViewsEqualTheTrades(EmbeddedKafka kafka, EmbeddedPostgresServer postgres)
            throws Exception
    {
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-cluster");
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_cluster");
        try (StandaloneCluster cluster = StandaloneCluster.start(dir);
                LambdaProcess speed = LambdaProcess.start(cluster.environment(kafka, topic, database), "speed", "--data-dir", dir.resolve("data").toString())) {
            Random random = new Random(17);
            TestTrades.produce(kafka.bootstrapServers(), topic, TestTrades.bursty(random, 2_000, BASE_TS));
            await().atMost(Duration.ofMinutes(3)).until(() -> count(database, "SELECT count(*) FROM lambda.speed_trades") == 2_000);
            // Late trades, read by the same executor after the first ones were written.
            TestTrades.produce(kafka.bootstrapServers(), topic, TestTrades.bursty(random, 500, BASE_TS - 60_000));
            await().atMost(Duration.ofMinutes(2)).until(() -> count(database, "SELECT count(*) FROM lambda.speed_trades") == 2_500);

            ExpectedSpeedViews.assertMatch(KafkaTopics.readTrades(kafka.bootstrapServers(), topic), database);
            assertThat(cluster.executorLogs()).as("an executor launched by the worker, in a JVM of its own").isNotEmpty();
            speed.interrupt();
            assertThat(speed.waitFor(Duration.ofMinutes(1))).isZero();
        }
    }

    @Test
    void aBatchRunRunsItsJobsOnTheClusterAndItsDailyViewEqualsTheTrades(EmbeddedKafka kafka, EmbeddedPostgresServer postgres)
            throws Exception
    {
        String topic = KafkaTopics.createTradeTopics(kafka, "batch-cluster");
        PostgresConnection database = TestDatabases.fresh(postgres, "batch_cluster");
        TestTrades.produce(kafka.bootstrapServers(), topic, TestTrades.bursty(new Random(19), 3_000, BASE_TS));
        try (StandaloneCluster cluster = StandaloneCluster.start(dir);
                LambdaProcess batch = LambdaProcess.start(cluster.environment(kafka, topic, database), "batch", "run", "--data-dir", dir.resolve("data").toString())) {
            assertThat(batch.waitFor(Duration.ofMinutes(5))).as(String.join("\n", batch.stderr())).isZero();

            Map<String, Aggregate> actual;
            try (Connection connection = database.open()) {
                actual = ExpectedAggregates.read(connection,
                        "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.batch_daily");
            }
            ExpectedAggregates.assertSame(ExpectedAggregates.of(KafkaTopics.readTrades(kafka.bootstrapServers(), topic), DAY, Long.MAX_VALUE), actual);
            assertThat(cluster.executorLogs()).as("an executor launched by the worker, in a JVM of its own").isNotEmpty();
        }
    }

    private static long count(PostgresConnection database, String sql)
            throws SQLException
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * A standalone master and one worker, each a JVM of its own. The worker builds each executor's
     * command from a Spark home: an empty one does, the executor's classes coming from
     * spark.executor.extraClassPath.
     */
    private record StandaloneCluster(int masterPort, Path workDir, Path properties, Process master, Process worker)
            implements AutoCloseable
    {
        static StandaloneCluster start(Path dir)
                throws IOException
        {
            PortAllocator ports = new PortAllocator();
            int masterPort = ports.free();
            Path workDir = Files.createDirectories(dir.resolve("worker"));
            Path properties = Files.writeString(dir.resolve("spark.conf"), """
                    spark.executor.extraClassPath %s
                    spark.executor.memory 512m
                    spark.cores.max 4
                    """.formatted(CLASSPATH));
            Process master = start(dir, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(ports.free()));
            Process worker = start(dir, "worker", "org.apache.spark.deploy.worker.Worker",
                    // Real-time mode holds a task slot per Kafka partition (3) for as long as it runs.
                    "--host", "127.0.0.1", "--cores", "4", "--memory", "1g", "--webui-port", Integer.toString(ports.free()),
                    "--work-dir", workDir.toString(), "spark://127.0.0.1:" + masterPort);
            return new StandaloneCluster(masterPort, workDir, properties, master, worker);
        }

        private static Process start(Path dir, String name, String mainClass, String... args)
                throws IOException
        {
            Path sparkHome = Files.createDirectories(dir.resolve("spark-home/jars")).getParent();
            ProcessBuilder builder = new ProcessBuilder(Stream.concat(
                    Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", CLASSPATH, mainClass),
                    Stream.of(args)).toList());
            builder.environment().put("SPARK_HOME", sparkHome.toString());
            builder.environment().put("SPARK_SCALA_VERSION", "2.13");
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
            return builder.start();
        }

        /** What a user sets to run a layer on this cluster against these services. */
        Map<String, String> environment(EmbeddedKafka kafka, String topic, PostgresConnection database)
        {
            return Map.of(
                    "LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "LAMBDA_KAFKA_TOPIC", topic,
                    "LAMBDA_KAFKA_DLQ_TOPIC", topic + ".dlq",
                    "LAMBDA_POSTGRES_JDBC_URL", database.jdbcUrl(),
                    "LAMBDA_SPARK_MASTER", "spark://127.0.0.1:" + masterPort,
                    "LAMBDA_SPARK_PROPERTIES_FILE", properties.toString());
        }

        /** The worker keeps each executor's output under work-dir/app-.../N/stderr. */
        List<Path> executorLogs()
                throws IOException
        {
            try (Stream<Path> files = Files.walk(workDir)) {
                return files.filter(file -> file.getFileName().toString().equals("stderr") && file.getParent().getParent().getFileName().toString().startsWith("app-")).toList();
            }
        }

        @Override
        public void close()
                throws InterruptedException
        {
            for (Process process : List.of(worker, master)) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
