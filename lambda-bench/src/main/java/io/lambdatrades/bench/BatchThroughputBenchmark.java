package io.lambdatrades.bench;

import io.lambdatrades.batch.AbsorbLedger;
import io.lambdatrades.batch.Absorber;
import io.lambdatrades.batch.BatchProgress;
import io.lambdatrades.batch.ViewBuilder;
import io.lambdatrades.batch.HiveSessions;
import io.lambdatrades.batch.MasterDataset;
import io.lambdatrades.batch.ViewStore;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.config.BatchConfig;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedMetastoreDatabase;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.KafkaTopics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SortedSet;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

/**
 * Batch layer throughput: Kafka -> master dataset (absorb) and master dataset -> minute, hourly and
 * daily Parquet views, with Spark local on this machine; side by side, DuckDB computing the same
 * views from a Parquet copy of the same trades.
 *
 * <p>Usage: {@code BatchThroughputBenchmark [trades] [days]}
 */
public final class BatchThroughputBenchmark
{
    private static final List<String> SYMBOLS = IntStream.range(0, 20)
            .mapToObj(i -> i < 10 ? "SYM" + i : i < 16 ? "BINANCE:PAIR" + i + "USDT" : "OANDA:FX_" + i)
            .toList();

    private BatchThroughputBenchmark() {}

    public static void main(String[] args)
            throws Exception
    {
        long trades = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        long firstDay = LocalDate.of(2026, 11, 16).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        Instant cutoff = Instant.ofEpochMilli(firstDay + days * 86_400_000L);
        try (ScratchDirectory scratch = new ScratchDirectory("bench-batch");
                EmbeddedKafka kafka = EmbeddedKafka.start(scratch.root().resolve("kafka"), 0, 0);
                EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(scratch.root().resolve("postgres"), scratch.root().resolve("pg-binaries"), 0);
                EmbeddedMetastoreDatabase metastore = EmbeddedMetastoreDatabase.start(scratch.root().resolve("metastore"), 0)) {
            PostgresConnection database = postgres.connection();
            new PostgresSchema(database).migrate();
            String topic = KafkaTopics.createTradeTopics(kafka, "bench-batch");
            long produceStart = System.nanoTime();
            produce(kafka, topic, trades, firstDay, days);
            System.out.printf(Locale.ROOT, "produced %,d trades over %d days in %.1f s%n", trades, days, seconds(produceStart));

            BatchConfig config = new BatchConfig(SparkConfig.local(2), Optional.empty(), 0, scratch.root().resolve("metastore"),
                    scratch.root().resolve("warehouse").toUri().toString(), scratch.root().resolve("views").toUri().toString(), Duration.ofDays(1), false);
            SparkSession spark = HiveSessions.create("bench-batch", config, metastore.jdbcUrl());
            MasterDataset master = MasterDataset.ensure(spark, config.warehouseDir());

            long kafkaScanStart = System.nanoTime();
            spark.read().format("kafka").option("kafka.bootstrap.servers", kafka.bootstrapServers()).option("subscribe", topic).load()
                    .agg(sum(length(col("value"))), count(lit(1))).first();
            double kafkaScanSeconds = seconds(kafkaScanStart);

            long absorbStart = System.nanoTime();
            Absorber.AbsorbResult absorbed = new Absorber(spark, master, new AbsorbLedger(database), kafka.bootstrapServers(), topic, BatchProgress.NONE).run();
            double absorbSeconds = seconds(absorbStart);
            System.out.printf(Locale.ROOT, "absorb (Spark): %,d trades in %.1f s = %,.0f trades/s; of which a bare Spark scan of the topic takes %.1f s%n",
                    absorbed.trades(), absorbSeconds, absorbed.trades() / absorbSeconds, kafkaScanSeconds);

            SortedSet<String> dates = master.tradeDates();
            ViewBuilder views = new ViewBuilder(new ViewStore(spark, config.viewsDir()));
            // A first run, untimed, so that the timed one measures the work rather than class loading and the JIT.
            long coldStart = System.nanoTime();
            views.build(master.read(dates), cutoff);
            double coldSeconds = seconds(coldStart);

            long scanStart = System.nanoTime();
            master.read(dates).agg(sum("price"), sum("volume"), max("ts"), count(lit(1))).first();
            double scanSeconds = seconds(scanStart);
            long viewsStart = System.nanoTime();
            views.build(master.read(dates), cutoff);
            double viewsSeconds = seconds(viewsStart);
            System.out.printf(Locale.ROOT, "views (Spark): %,d trades in %.1f s = %,.0f trades/s (first, cold run %.1f s); of which a bare scan of the Avro master dataset takes %.1f s%n",
                    absorbed.trades(), viewsSeconds, absorbed.trades() / viewsSeconds, coldSeconds, scanSeconds);

            Path copy = scratch.root().resolve("trades-parquet");
            master.read(dates).write().partitionBy(MasterDataset.PARTITION_COLUMN).parquet(copy.toUri().toString());
            spark.stop();

            double duckSeconds = duckDbViews(copy, scratch.root().resolve("duckdb-views"), cutoff);
            System.out.printf(Locale.ROOT, "views (DuckDB, 2 threads, from a Parquet copy): %,d trades in %.1f s = %,.0f trades/s%n",
                    absorbed.trades(), duckSeconds, absorbed.trades() / duckSeconds);
            System.out.printf(Locale.ROOT, "ratio Spark/DuckDB time for the views: %.2f%n", viewsSeconds / duckSeconds);
        }
        System.exit(0);
    }

    /** The same three views, minutes from the trades and hours and days merged from the minutes, each written as Parquet. */
    private static double duckDbViews(Path trades, Path out, Instant cutoff)
            throws Exception
    {
        String source = trades.resolve("*").resolve("*.parquet").toString();
        String merge = """
                SELECT symbol, %1$s AS bucket_ms, min(first) AS first, max(last) AS last, max(high) AS high, min(low) AS low,
                       sum(volume) AS volume, sum(trades) AS trades, sum(notional) AS notional
                FROM minute GROUP BY symbol, %1$s""";
        String finish = """
                COPY (SELECT symbol, make_timestamp(bucket_ms * 1000) AS bucket, first.price AS open, high, low, last.price AS close, volume, trades, notional,
                             CASE WHEN volume = 0 THEN NULL ELSE notional / volume END AS vwap,
                             strftime(make_timestamp(bucket_ms * 1000), '%%Y-%%m-%%d') AS trade_date
                      FROM %s) TO '%s' (FORMAT parquet, PARTITION_BY (trade_date))""";
        Files.createDirectories(out);
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute("SET threads = 2");
            long start = System.nanoTime();
            statement.execute("""
                    CREATE TEMP TABLE minute AS
                    SELECT symbol, ts - ts %% 60000 AS bucket_ms,
                           min({'ts': ts, 'p': kafka_partition, 'o': kafka_offset, 'price': price}) AS first,
                           max({'ts': ts, 'p': kafka_partition, 'o': kafka_offset, 'price': price}) AS last,
                           max(price) AS high, min(price) AS low, sum(volume) AS volume, count(*) AS trades, sum(price * volume) AS notional
                    FROM read_parquet('%s') WHERE ts < %d GROUP BY symbol, ts - ts %% 60000""".formatted(source, cutoff.toEpochMilli()));
            statement.execute(finish.formatted("minute", out.resolve("minute")));
            statement.execute("CREATE TEMP TABLE hourly AS " + merge.formatted("bucket_ms - bucket_ms % 3600000"));
            statement.execute(finish.formatted("hourly", out.resolve("hourly")));
            statement.execute("CREATE TEMP TABLE daily AS " + merge.formatted("bucket_ms - bucket_ms % 86400000"));
            statement.execute(finish.formatted("daily", out.resolve("daily")));
            double elapsed = seconds(start);
            try (ResultSet rows = statement.executeQuery("SELECT sum(trades) FROM daily")) {
                rows.next();
                System.out.printf(Locale.ROOT, "DuckDB daily view holds %,d trades%n", rows.getLong(1));
            }
            return elapsed;
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, long count, long firstDay, int days)
    {
        TradeCodec codec = new TradeCodec();
        Random random = new Random(42);
        Map<String, Object> settings = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 65_536);
        double step = days * 86_400_000.0 / count;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < count; i++) {
                long ts = firstDay + (long) (i * step);
                String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
                double volume = symbol.startsWith("OANDA") ? 0 : random.nextInt(10_000) / 100.0;
                Trade trade = new Trade(symbol, 100 + random.nextInt(10_000) / 100.0, volume, ts, List.of(), "simulate", ts + 5);
                producer.send(new ProducerRecord<>(topic, symbol.getBytes(StandardCharsets.UTF_8), codec.encode(trade)));
            }
        }
    }

    private static double seconds(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
