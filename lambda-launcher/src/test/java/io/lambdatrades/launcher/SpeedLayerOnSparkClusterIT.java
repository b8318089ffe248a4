package io.lambdatrades.launcher;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.Ports;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code lambda speed} as the driver of a standalone Spark cluster (a master and a worker in processes
 * of their own, started from the product's classpath): the Kafka reads run in an executor JVM the
 * worker launches, configured by {@code spark.master} and {@code spark.properties.file} alone.
 */
@ExtendWith({SharedKafka.class, SharedPostgres.class})
class SpeedLayerOnSparkClusterIT
{
    private static final Path HOME = Path.of(System.getProperty("lambda.home", "..")).toAbsolutePath().normalize();
    private static final String CLASSPATH = HOME.resolve("lambda-launcher/target/lambda-launcher.jar") + ":" + HOME.resolve("lambda-launcher/target/lib/*");

    @TempDir
    Path dir;

    @Test
    void theSpeedLayerRunsItsKafkaReadsOnAClusterExecutorAndItsViewsEqualTheTrades(EmbeddedKafka kafka, EmbeddedPostgresServer postgres)
            throws Exception
    {
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-cluster");
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_cluster");
        Path workDir = Files.createDirectories(dir.resolve("worker"));
        int masterPort = Ports.free();
        Path properties = Files.writeString(dir.resolve("spark.conf"), """
                spark.executor.extraClassPath %s
                spark.executor.memory 512m
                spark.cores.max 1
                """.formatted(CLASSPATH));
        try (ClusterProcess master = ClusterProcess.start(dir, "master", "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(Ports.free()));
                ClusterProcess worker = ClusterProcess.start(dir, "worker", "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", Integer.toString(Ports.free()),
                    "--work-dir", workDir.toString(), "spark://127.0.0.1:" + masterPort);
                LambdaProcess speed = LambdaProcess.start(Map.of(
                        "LAMBDA_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "LAMBDA_KAFKA_TOPIC", topic,
                        "LAMBDA_KAFKA_DLQ_TOPIC", topic + ".dlq",
                        "LAMBDA_POSTGRES_JDBC_URL", database.jdbcUrl(),
                        "LAMBDA_SPARK_MASTER", "spark://127.0.0.1:" + masterPort,
                        "LAMBDA_SPARK_PROPERTIES_FILE", properties.toString()),
                        "speed", "--data-dir", dir.resolve("data").toString())) {
            Random random = new Random(17);
            TestTrades.produce(kafka.bootstrapServers(), topic, TestTrades.bursty(random, 2_000, 1_763_000_000_000L));
            await().atMost(Duration.ofMinutes(3)).until(() -> count(database) == 2_000);
            // Late trades, read by the same executor after the first ones were written.
            TestTrades.produce(kafka.bootstrapServers(), topic, TestTrades.bursty(random, 500, 1_763_000_000_000L - 60_000));
            await().atMost(Duration.ofMinutes(2)).until(() -> count(database) == 2_500);

            ExpectedSpeedViews.assertMatch(KafkaTopics.readTrades(kafka.bootstrapServers(), topic), database);
            assertThat(executorLogs(workDir)).as("an executor launched by the worker, in a JVM of its own").isNotEmpty();
            speed.interrupt();
            assertThat(speed.waitFor(Duration.ofMinutes(1))).isZero();
        }
    }

    /** The worker keeps each executor's output under work-dir/app-.../N/stderr. */
    private static List<Path> executorLogs(Path workDir)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(workDir)) {
            return files.filter(file -> file.getFileName().toString().equals("stderr") && file.getParent().getParent().getFileName().toString().startsWith("app-")).toList();
        }
    }

    private static long count(PostgresConnection database)
            throws SQLException
    {
        try (Connection connection = database.open(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM lambda.speed_trades")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /**
     * A Spark master or worker JVM. The worker builds each executor's command from a Spark home:
     * an empty one does, the executor's classes coming from spark.executor.extraClassPath.
     */
    private record ClusterProcess(Process process)
            implements AutoCloseable
    {
        static ClusterProcess start(Path dir, String name, String mainClass, String... args)
                throws IOException
        {
            Path sparkHome = Files.createDirectories(dir.resolve("spark-home/jars"));
            ProcessBuilder builder = new ProcessBuilder(Stream.concat(
                    Stream.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", CLASSPATH, mainClass),
                    Stream.of(args)).toList());
            builder.environment().put("SPARK_HOME", sparkHome.getParent().toString());
            builder.environment().put("SPARK_SCALA_VERSION", "2.13");
            builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
            return new ClusterProcess(builder.start());
        }

        @Override
        public void close()
                throws InterruptedException
        {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
