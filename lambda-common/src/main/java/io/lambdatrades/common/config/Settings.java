package io.lambdatrades.common.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.lambdatrades.common.config.ValueParsers.anyLong;
import static io.lambdatrades.common.config.ValueParsers.batchPeriod;
import static io.lambdatrades.common.config.ValueParsers.bool;
import static io.lambdatrades.common.config.ValueParsers.commaList;
import static io.lambdatrades.common.config.ValueParsers.duration;
import static io.lambdatrades.common.config.ValueParsers.intAtLeast;
import static io.lambdatrades.common.config.ValueParsers.nonEmptyString;
import static io.lambdatrades.common.config.ValueParsers.oneOf;
import static io.lambdatrades.common.config.ValueParsers.optionalCron;
import static io.lambdatrades.common.config.ValueParsers.optionalLocation;
import static io.lambdatrades.common.config.ValueParsers.optionalPath;
import static io.lambdatrades.common.config.ValueParsers.optionalThriftUri;
import static io.lambdatrades.common.config.ValueParsers.path;
import static io.lambdatrades.common.config.ValueParsers.port;
import static io.lambdatrades.common.config.ValueParsers.positiveDouble;
import static io.lambdatrades.common.config.ValueParsers.sparkPropertiesFile;
import static io.lambdatrades.common.config.ValueParsers.speed;
import static io.lambdatrades.common.config.ValueParsers.string;
import static io.lambdatrades.common.config.ValueParsers.webSocketUrl;

/** Every configuration key of the system, declared once. */
public final class Settings
{
    public static final Setting<Path> DATA_DIR = Setting.of("data.dir", "data",
            "Directory of every embedded service's data, the runtime file and the logs", path());

    public static final Setting<Integer> DATA_MIN_FREE_MB = Setting.of("data.min.free.mb", "1024",
            "Free space (MiB) on the data directory's disk under which up warns and status is degraded", intAtLeast(0));

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.of("kafka.bootstrap.servers", "",
            "Bootstrap servers of an external Kafka; empty starts the embedded broker", string());
    public static final Setting<Integer> KAFKA_PORT = Setting.of("kafka.port", "0",
            "Client port of the embedded broker; 0 picks a free port", port());
    public static final Setting<Integer> KAFKA_CONTROLLER_PORT = Setting.of("kafka.controller.port", "0",
            "KRaft controller port of the embedded broker; 0 picks a free port", port());
    public static final Setting<String> KAFKA_TOPIC = Setting.of("kafka.topic", "trades",
            "Topic of valid trades", nonEmptyString());
    public static final Setting<String> KAFKA_DLQ_TOPIC = Setting.of("kafka.dlq.topic", "trades.dlq",
            "Dead-letter topic: rejected input with its reason", nonEmptyString());
    public static final Setting<Integer> KAFKA_PARTITIONS = Setting.of("kafka.partitions", "3",
            "Partitions of the topics when they are created", intAtLeast(1));
    public static final Setting<Integer> KAFKA_RETENTION_HOURS = Setting.of("kafka.retention.hours", "168",
            "Retention of the topics when they are created; the batch layer keeps history forever", intAtLeast(1));

    public static final Setting<String> POSTGRES_JDBC_URL = Setting.of("postgres.jdbc.url", "",
            "JDBC URL of an external PostgreSQL 14+; empty starts the embedded server", string());
    public static final Setting<String> POSTGRES_USER = Setting.of("postgres.user", "postgres",
            "PostgreSQL user", nonEmptyString());
    public static final Setting<String> POSTGRES_PASSWORD = Setting.secret("postgres.password",
            "PostgreSQL password (empty for the embedded server)", string());
    public static final Setting<Integer> POSTGRES_PORT = Setting.of("postgres.port", "0",
            "Port of the embedded PostgreSQL server; 0 picks a free port", port());

    public static final Setting<String> INGEST_SOURCE = Setting.of("ingest.source", "simulate",
            "Where trades come from: simulate, finnhub or replay", oneOf("simulate", "finnhub", "replay"));
    public static final Setting<List<String>> INGEST_SYMBOLS = Setting.of("ingest.symbols", "",
            "Symbols to ingest, comma-separated; empty is the simulator's default market", commaList());
    public static final Setting<Double> INGEST_RATE = Setting.of("ingest.rate", "200",
            "Live rate of the simulated market, trades per second", positiveDouble());
    public static final Setting<Integer> INGEST_HISTORY_DAYS = Setting.of("ingest.history.days", "0",
            "Days of past simulated trades written before going live", intAtLeast(0));
    public static final Setting<Double> INGEST_HISTORY_RATE = Setting.of("ingest.history.rate", "2",
            "Density of simulated history, trades per simulated second", positiveDouble());
    public static final Setting<Integer> INGEST_BUFFER_FRAMES = Setting.of("ingest.buffer.frames", "10000",
            "Feed frames held while Kafka is slow; when full, reading from the feed pauses", intAtLeast(1));

    public static final Setting<URI> FINNHUB_URL = Setting.of("finnhub.url", "wss://ws.finnhub.io",
            "Finnhub's trade feed; the token is added as ?token=", webSocketUrl());
    public static final Setting<Optional<Path>> FINNHUB_TOKEN_FILE = Setting.of("finnhub.token.file", "",
            "File holding the Finnhub API token, when FINNHUB_TOKEN is not set", optionalPath());
    public static final Setting<Integer> FINNHUB_MAX_SYMBOLS = Setting.of("finnhub.max.symbols", "50",
            "Symbols one Finnhub connection may subscribe to (free keys: about 50)", intAtLeast(1));
    public static final Setting<Integer> FINNHUB_STALE_AFTER_SECONDS = Setting.of("finnhub.stale.after.seconds", "90",
            "Reconnect when no frame at all (pings included) came for this long", intAtLeast(1));

    public static final Setting<Optional<Path>> REPLAY_FILE = Setting.of("replay.file", "",
            "Recording to replay: lambda record's NDJSON, or raw Finnhub frames one per line", optionalPath());
    public static final Setting<Double> REPLAY_SPEED = Setting.of("replay.speed", "1",
            "Replay pace: 1 the original, 10 ten times faster, max as fast as Kafka takes it", speed());

    public static final Setting<String> SPARK_MASTER = Setting.of("spark.master", "local[2]",
            "Spark master of the speed layer and the batch tasks: local[N], spark://host:port, yarn, k8s://...", nonEmptyString());
    public static final Setting<Map<String, String>> SPARK_PROPERTIES_FILE = Setting.of("spark.properties.file", "",
            "Spark properties for a cluster, in spark-defaults.conf's format (executor classpath and memory, s3a credentials, ...); empty for none", sparkPropertiesFile());
    public static final Setting<Integer> SPEED_TRIGGER_MS = Setting.of("speed.trigger.ms", "100",
            "Micro-batch trigger of the speed layer, milliseconds", intAtLeast(1));
    public static final Setting<Integer> SPEED_MAX_BATCH_TRADES = Setting.of("speed.max.batch.trades", "100000",
            "Most trades one micro-batch takes: a backlog is worked off in bounded batches, not collected whole", intAtLeast(1));
    public static final Setting<Optional<String>> SPEED_CHECKPOINT_DIR = Setting.of("speed.checkpoint.dir", "",
            "Checkpoint of the speed query: a path or a file:, hdfs:, s3a: URI; empty is <data.dir>/checkpoints/speed", optionalLocation());
    public static final Setting<String> SPEED_MODE = Setting.of("speed.mode", "realtime",
            "How the speed query runs: realtime (Spark's real-time mode: each trade written within milliseconds, in small groups) or microbatch", oneOf("realtime", "microbatch"));
    public static final Setting<Integer> SPEED_GROUP_MS = Setting.of("speed.group.ms", "5",
            "Real-time mode: longest a trade waits for others before its group is committed to PostgreSQL", intAtLeast(1));
    public static final Setting<Integer> SPEED_GROUP_TRADES = Setting.of("speed.group.trades", "2000",
            "Real-time mode: most trades one PostgreSQL transaction commits (a backlog is worked off in groups this large)", intAtLeast(1));
    public static final Setting<Boolean> SPEED_ENABLED = Setting.of("speed.enabled", "true",
            "Whether lambda up runs the speed layer (a child JVM it restarts when it dies)", bool());

    public static final Setting<Optional<URI>> METASTORE_URI = Setting.of("metastore.uri", "",
            "Thrift URI of an external Hive metastore; empty runs the embedded one (Derby's network server under <data.dir>/metastore)", optionalThriftUri());
    public static final Setting<Integer> METASTORE_PORT = Setting.of("metastore.port", "0",
            "Port of the embedded metastore database (Derby network server); 0 picks a free port", port());
    public static final Setting<Optional<String>> WAREHOUSE_DIR = Setting.of("warehouse.dir", "",
            "Hive warehouse holding the master dataset (file:, hdfs:, s3a:); empty is <data.dir>/warehouse", optionalLocation());
    public static final Setting<Optional<String>> VIEWS_DIR = Setting.of("views.dir", "",
            "Where the batch views are written as Parquet (file:, hdfs:, s3a:); empty is <data.dir>/views", optionalLocation());
    public static final Setting<Duration> BATCH_PERIOD = Setting.of("batch.period", "1d",
            "Batch period: the cutoff is aligned to it (1d, 6h, 1h, 15m)", batchPeriod());
    public static final Setting<Duration> BATCH_DELAY = Setting.of("batch.delay", "15m",
            "How long after a period ends the scheduler closes it, for late trades (e.g. 15m)", duration());
    public static final Setting<Optional<String>> BATCH_SCHEDULE = Setting.of("batch.schedule", "",
            "A cron expression (six fields, UTC) for the scheduler's runs instead of each period's end plus batch.delay", optionalCron());
    public static final Setting<Integer> BATCH_RETRIES = Setting.of("batch.retries", "3",
            "How many times the scheduler retries a failed run before marking it failed", intAtLeast(0));
    public static final Setting<Duration> BATCH_RETRY_BACKOFF = Setting.of("batch.retry.backoff", "30s",
            "Wait before a run's first retry; each further retry waits twice as long", duration());
    public static final Setting<Boolean> BATCH_AUDIT = Setting.of("batch.audit", "false",
            "Whether each batch run ends with lambda audit of the dates it published, its result in the run's history", bool());
    public static final Setting<Boolean> SCHEDULER_ENABLED = Setting.of("scheduler.enabled", "true",
            "Whether lambda up runs the scheduler (a child JVM it restarts when it dies)", bool());

    public static final Setting<String> SERVING_HOST = Setting.of("serving.host", "127.0.0.1",
            "Address the HTTP API and dashboard bind to (0.0.0.0 for every interface)", nonEmptyString());
    public static final Setting<Integer> SERVING_PORT = Setting.of("serving.port", "8080",
            "Port of the HTTP API and dashboard; 0 picks a free port", port());
    public static final Setting<Boolean> SERVING_ENABLED = Setting.of("serving.enabled", "true",
            "Whether lambda up runs the serving layer (a child JVM it restarts when it dies)", bool());
    public static final Setting<Integer> SERVING_STREAM_BUFFER = Setting.of("serving.stream.buffer", "256",
            "Live events a slow stream client may fall behind by before it is dropped", intAtLeast(1));
    public static final Setting<Boolean> SERVING_CACHE = Setting.of("serving.cache", "true",
            "Whether the API reuses an answer until the next commit changes the data (never more than 100 ms after it); off, every request queries PostgreSQL",
            bool());
    public static final Setting<String> SERVING_READER_PASSWORD = Setting.secret("serving.reader.password",
            "Password of the read-only role lambda_reader for BI tools; empty leaves the role unable to log in", string());

    public static final Setting<Long> SIMULATE_SEED = Setting.of("simulate.seed", "42",
            "Seed of the simulated market: one seed, one market", anyLong());

    public static final List<Setting<?>> ALL = List.of(
            DATA_DIR, DATA_MIN_FREE_MB,
            KAFKA_BOOTSTRAP_SERVERS, KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_TOPIC, KAFKA_DLQ_TOPIC, KAFKA_PARTITIONS, KAFKA_RETENTION_HOURS,
            POSTGRES_JDBC_URL, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_PORT,
            INGEST_SOURCE, INGEST_SYMBOLS, INGEST_RATE, INGEST_HISTORY_DAYS, INGEST_HISTORY_RATE, INGEST_BUFFER_FRAMES,
            FINNHUB_URL, FINNHUB_TOKEN_FILE, FINNHUB_MAX_SYMBOLS, FINNHUB_STALE_AFTER_SECONDS,
            REPLAY_FILE, REPLAY_SPEED,
            SPARK_MASTER, SPARK_PROPERTIES_FILE, SPEED_TRIGGER_MS, SPEED_MAX_BATCH_TRADES, SPEED_CHECKPOINT_DIR, SPEED_MODE, SPEED_GROUP_MS, SPEED_GROUP_TRADES, SPEED_ENABLED,
            METASTORE_URI, METASTORE_PORT, WAREHOUSE_DIR, VIEWS_DIR, BATCH_PERIOD,
            BATCH_DELAY, BATCH_SCHEDULE, BATCH_RETRIES, BATCH_RETRY_BACKOFF, BATCH_AUDIT, SCHEDULER_ENABLED,
            SERVING_HOST, SERVING_PORT, SERVING_ENABLED, SERVING_STREAM_BUFFER, SERVING_CACHE, SERVING_READER_PASSWORD,
            SIMULATE_SEED);

    /** Variables with the LAMBDA_ prefix that are not settings and so are not refused as unknown. */
    public static final List<String> OTHER_ENV = List.of("LAMBDA_ADMIN_TOKEN", "LAMBDA_JAVA_OPTS", "LAMBDA_HOME", "LAMBDA_PARENT_PID");

    private Settings() {}
}
