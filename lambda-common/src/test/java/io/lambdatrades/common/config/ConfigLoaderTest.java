package io.lambdatrades.common.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest
{
    @TempDir
    Path dir;

    @Test
    void defaults()
    {
        LambdaConfig config = load(Optional.empty(), Map.of(), Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(config.kafka()).isEqualTo(new KafkaConfig(Optional.empty(), 0, 0, "trades", "trades.dlq", 3, Duration.ofHours(168)));
        assertThat(config.postgres()).isEqualTo(new PostgresConfig(Optional.empty(), "postgres", "", 0));
        assertThat(config.ingest()).isEqualTo(new IngestConfig("simulate", List.of(), 200, 0, 2, 42, 10_000,
                new FinnhubConfig(URI.create("wss://ws.finnhub.io"), Optional.empty(), 50, Duration.ofSeconds(90)),
                new ReplayConfig(Optional.empty(), 1)));
        assertThat(config.speed()).isEqualTo(new SpeedConfig(true, SparkConfig.local(2), Duration.ofMillis(100), 100_000, ValueParsers.location(Path.of("data").resolve("checkpoints/speed")),
                true, Duration.ofMillis(5), 2000));
        assertThat(config.serving()).isEqualTo(new ServingConfig(true, "127.0.0.1", 8080, 256, true, ""));
    }

    @Test
    void everyKeyMapsFromYaml()
            throws IOException
    {
        Path file = write("""
                data:
                  dir: /srv/lambda
                kafka:
                  bootstrap.servers: broker-1:9092,broker-2:9092
                  port: 19092
                  controller:
                    port: 19093
                  topic: market
                  dlq.topic: market.dlq
                  partitions: 6
                  retention.hours: 24
                postgres:
                  jdbc.url: jdbc:postgresql://db:5432/lambda
                  user: lambda
                  password: s3cret
                  port: 15432
                ingest:
                  source: finnhub
                  symbols: [AAPL, "BINANCE:BTCUSDT"]
                  rate: 5000
                  history:
                    days: 3
                    rate: 50.5
                  buffer.frames: 500
                finnhub:
                  url: ws://127.0.0.1:9999/feed
                  token.file: /run/secrets/finnhub
                  max.symbols: 2
                  stale.after.seconds: 30
                replay:
                  file: /tmp/rec.ndjson
                  speed: max
                simulate.seed: 7
                spark.master: spark://spark-master:7077
                speed:
                  trigger.ms: 250
                  max.batch.trades: 5000
                  checkpoint.dir: /srv/checkpoints/speed
                  mode: microbatch
                  group.ms: 20
                  group.trades: 100
                  enabled: false
                serving:
                  enabled: false
                  host: 0.0.0.0
                  port: 9090
                  stream.buffer: 32
                  reader.password: bi-secret
                """);

        LambdaConfig config = load(Optional.of(file), Map.of(), Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/lambda"));
        assertThat(config.kafka()).isEqualTo(new KafkaConfig(Optional.of("broker-1:9092,broker-2:9092"), 19092, 19093, "market", "market.dlq", 6, Duration.ofHours(24)));
        assertThat(config.postgres()).isEqualTo(new PostgresConfig(Optional.of("jdbc:postgresql://db:5432/lambda"), "lambda", "s3cret", 15432));
        assertThat(config.ingest()).isEqualTo(new IngestConfig("finnhub", List.of("AAPL", "BINANCE:BTCUSDT"), 5000, 3, 50.5, 7, 500,
                new FinnhubConfig(URI.create("ws://127.0.0.1:9999/feed"), Optional.of(Path.of("/run/secrets/finnhub")), 2, Duration.ofSeconds(30)),
                new ReplayConfig(Optional.of(Path.of("/tmp/rec.ndjson")), Double.POSITIVE_INFINITY)));
        assertThat(config.speed()).isEqualTo(new SpeedConfig(false, new SparkConfig("spark://spark-master:7077", Map.of()), Duration.ofMillis(250), 5_000, "file:///srv/checkpoints/speed",
                false, Duration.ofMillis(20), 100));
        assertThat(config.serving()).isEqualTo(new ServingConfig(false, "0.0.0.0", 9090, 32, true, "bi-secret"));
        assertThat(config.serving().toString()).doesNotContain("bi-secret");
        assertThat(config.effective().get("serving.reader.password")).doesNotContain("bi-secret");
    }

    @Test
    void everyKeyHasAnEnvironmentVariableThatOverridesTheFile()
            throws IOException
    {
        Path file = write("kafka.topic: from-file\n");
        Map<String, String> environment = Map.of(
                "LAMBDA_KAFKA_TOPIC", "from-env",
                "LAMBDA_INGEST_SYMBOLS", "MSFT, OANDA:EUR_USD",
                "LAMBDA_POSTGRES_PASSWORD", "pw",
                "LAMBDA_ADMIN_TOKEN", "not a setting, not refused",
                "PATH", "/usr/bin");

        LambdaConfig config = load(Optional.of(file), environment, Map.of());

        assertThat(config.kafka().topic()).isEqualTo("from-env");
        assertThat(config.ingest().symbols()).containsExactly("MSFT", "OANDA:EUR_USD");
        assertThat(config.postgres().password()).isEqualTo("pw");
        assertThat(Settings.ALL).allSatisfy(setting -> assertThat(setting.envName()).isEqualTo("LAMBDA_" + setting.key().toUpperCase().replace('.', '_')));
    }

    @Test
    void commandLineOverridesEnvironment()
    {
        LambdaConfig config = load(Optional.empty(),
                Map.of("LAMBDA_INGEST_RATE", "10"),
                Map.of("ingest.rate", new ConfigLoader.Origin("99", "--rate")));

        assertThat(config.ingest().rate()).isEqualTo(99);
    }

    @Test
    void effectiveConfigurationMasksSecrets()
    {
        LambdaConfig config = load(Optional.empty(), Map.of("LAMBDA_POSTGRES_PASSWORD", "hunter2"), Map.of());

        assertThat(config.effective().get("postgres.password")).isEqualTo("****** (LAMBDA_POSTGRES_PASSWORD)");
        assertThat(config.effective().values()).noneMatch(value -> value.contains("hunter2"));
        assertThat(config.postgres().toString()).doesNotContain("hunter2");
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedByName()
            throws IOException
    {
        Path file = write("kafka:\n  topik: trades\n");

        assertThatThrownBy(() -> load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key 'kafka.topik' in " + file);
    }

    @Test
    void anUnknownEnvironmentVariableIsRefusedByName()
    {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_KAFKA_TOPIK", "x"), Map.of()))
                .hasMessage("unknown environment variable LAMBDA_KAFKA_TOPIK (no such setting)");
    }

    @Test
    void badValuesAreReportedTogetherOneLineEachNamingKeyAndOrigin()
            throws IOException
    {
        Path file = write("kafka.partitions: many\ningest.rate: -5\n");
        Map<String, String> environment = Map.of("LAMBDA_KAFKA_PORT", "70000", "LAMBDA_INGEST_SOURCE", "bloomberg");

        assertThatThrownBy(() -> load(Optional.of(file), environment, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "kafka.port: must be a port number from 0 (any free port) to 65535, was '70000' (from LAMBDA_KAFKA_PORT)",
                        "kafka.partitions: must be an integer >= 1, was 'many' (from config.yaml)",
                        "ingest.source: must be one of simulate, finnhub, replay, was 'bloomberg' (from LAMBDA_INGEST_SOURCE)",
                        "ingest.rate: must be a number > 0, was '-5' (from config.yaml)"));
    }

    @Test
    void sparkPropertiesComeFromAFileInSparkDefaultsFormatForBothLayers()
            throws IOException
    {
        Path properties = Files.writeString(dir.resolve("spark.conf"), """
                # for the cluster
                spark.executor.extraClassPath   /opt/lambda/lib/*
                spark.executor.memory=2g
                spark.hadoop.fs.s3a.endpoint  http://minio:9000
                """);

        LambdaConfig config = load(Optional.empty(), Map.of("LAMBDA_SPARK_PROPERTIES_FILE", properties.toString()), Map.of());

        Map<String, String> expected = Map.of(
                "spark.executor.extraClassPath", "/opt/lambda/lib/*",
                "spark.executor.memory", "2g",
                "spark.hadoop.fs.s3a.endpoint", "http://minio:9000");
        assertThat(config.speed().spark().properties()).isEqualTo(expected);
        assertThat(config.batch().spark().properties()).isEqualTo(expected);
        assertThat(config.effective()).containsEntry("spark.properties.file", properties + " (LAMBDA_SPARK_PROPERTIES_FILE)");
    }

    @Test
    void aSparkPropertiesFileThatIsMissingOrHoldsOtherKeysIsRefused()
            throws IOException
    {
        Path missing = dir.resolve("missing.conf");
        Path foreign = Files.writeString(dir.resolve("foreign.conf"), "kafka.topic=trades\n");
        Path master = Files.writeString(dir.resolve("master.conf"), "spark.master yarn\n");

        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_SPARK_PROPERTIES_FILE", missing.toString()), Map.of()))
                .hasMessage("spark.properties.file: must be a readable file of Spark properties, and there is no such file, was '" + missing + "' (from LAMBDA_SPARK_PROPERTIES_FILE)");
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_SPARK_PROPERTIES_FILE", foreign.toString()), Map.of()))
                .hasMessageContaining("must hold Spark properties only, and 'kafka.topic' does not start with spark.");
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_SPARK_PROPERTIES_FILE", master.toString()), Map.of()))
                .hasMessageContaining("must not set spark.master (that is the setting spark.master)");
    }

    @Test
    void theFinnhubSourceNeedsSymbolsWithinTheLimit()
    {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_INGEST_SOURCE", "finnhub"), Map.of()))
                .hasMessage("ingest.symbols: not set: Finnhub needs the symbols to subscribe to (--symbols A,B)");
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_INGEST_SOURCE", "finnhub", "LAMBDA_INGEST_SYMBOLS", "A,B,C", "LAMBDA_FINNHUB_MAX_SYMBOLS", "2"), Map.of()))
                .hasMessage("ingest.symbols: 3 symbols, more than one Finnhub connection takes (finnhub.max.symbols = 2)");
    }

    @Test
    void theReplaySourceNeedsARecording()
    {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_INGEST_SOURCE", "replay"), Map.of()))
                .hasMessage("replay.file: not set: the replay source needs a recording (--replay FILE)");
    }

    @Test
    void urlsAndSpeedsAreChecked()
    {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_FINNHUB_URL", "https://finnhub.io", "LAMBDA_REPLAY_SPEED", "0"), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "finnhub.url: must be a ws:// or wss:// URL, was 'https://finnhub.io' (from LAMBDA_FINNHUB_URL)",
                        "replay.speed: must be a factor > 0 (1 is the original pace) or max, was '0' (from LAMBDA_REPLAY_SPEED)"));
    }

    @Test
    void emptyItemsInAListAreRefused()
    {
        assertThatThrownBy(() -> load(Optional.empty(), Map.of("LAMBDA_INGEST_SYMBOLS", "AAPL,,MSFT"), Map.of()))
                .hasMessage("ingest.symbols: must be a comma-separated list without empty items, was 'AAPL,,MSFT' (from LAMBDA_INGEST_SYMBOLS)");
    }

    @Test
    void aMissingFileIsOneLine()
    {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> load(Optional.of(missing), Map.of(), Map.of()))
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void invalidYamlIsOneLine()
            throws IOException
    {
        Path file = write("kafka: [unclosed\n");

        assertThatThrownBy(() -> load(Optional.of(file), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + file + " is not valid YAML at line ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aFileThatIsNotAMappingIsRefused()
            throws IOException
    {
        Path file = write("- just\n- a list\n");

        assertThatThrownBy(() -> load(Optional.of(file), Map.of(), Map.of()))
                .hasMessage("config file " + file + " must be a mapping of keys to values");
    }

    private Path write(String yaml)
            throws IOException
    {
        return Files.writeString(dir.resolve("config.yaml"), yaml);
    }

    private static LambdaConfig load(Optional<Path> file, Map<String, String> environment, Map<String, ConfigLoader.Origin> commandLine)
    {
        return LambdaConfig.load(file, environment, commandLine);
    }
}
