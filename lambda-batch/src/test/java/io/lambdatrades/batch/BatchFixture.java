package io.lambdatrades.batch;

import io.lambdatrades.batch.SharedHive.Hive;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.config.BatchConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestSql;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch layer of its own for one test: a topic, a database and a warehouse, on the JVM's shared broker, PostgreSQL and metastore. */
record BatchFixture(Hive hive, EmbeddedKafka kafka, String topic, PostgresConnection database, BatchConfig config, Path views)
{
    static final List<String> SYMBOLS = List.of("AAPL", "BINANCE:BTCUSDT", "OANDA:EUR_USD", "MSFT");
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 86_400_000L;

    BatchPipeline pipeline()
    {
        return pipeline(BatchProgress.NONE);
    }

    BatchPipeline pipeline(BatchProgress progress)
    {
        return new BatchPipeline(hive::spark, config, database, kafka.bootstrapServers(), topic, progress);
    }

    BatchFixture withConfig(BatchConfig other)
    {
        return new BatchFixture(hive, kafka, topic, database, other, views);
    }

    static BatchFixture create(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, Path dir, String name)
            throws Exception
    {
        // One metastore for the JVM: each test starts its own master dataset in a warehouse of its own.
        hive.spark().sql("DROP TABLE IF EXISTS " + MasterDataset.TABLE);
        for (ViewStore.View view : ViewStore.View.values()) {
            hive.spark().sql("DROP TABLE IF EXISTS " + ViewStore.table(view));
        }
        Path views = dir.resolve("views");
        BatchConfig config = Hive.config(hive.root(), dir.resolve("warehouse"), views);
        return new BatchFixture(hive, kafka, KafkaTopics.createTradeTopics(kafka, name.replace('_', '-')), TestDatabases.fresh(postgres, name), config, views);
    }

    /** Trades spread over {@code span} ms from {@code start}: bursts in one millisecond and some out of order. */
    static List<Trade> trades(Random random, int count, long start, long span)
    {
        List<Trade> trades = new ArrayList<>(count);
        long step = span / count;
        for (int i = 0; i < count; i++) {
            long ts = start + i * step + (random.nextInt(10) < 3 ? 0 : random.nextInt((int) Math.max(1, step)));
            if (random.nextInt(20) == 0) {
                ts = Math.max(start, ts - random.nextInt((int) HOUR));
            }
            String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            double volume = symbol.startsWith("OANDA") ? 0 : Math.round(random.nextDouble() * 10_000) / 100.0;
            trades.add(new Trade(symbol, Math.round((100 + random.nextGaussian()) * 100) / 100.0, volume, ts, List.of("1"), "simulate", ts + 3));
            if (random.nextInt(10) == 0) {
                // Another trade of the same symbol in the same millisecond.
                trades.add(new Trade(symbol, Math.round((100 + random.nextGaussian()) * 100) / 100.0, volume, ts, List.of(), "simulate", ts + 3));
                i++;
            }
        }
        return trades;
    }


    void produce(List<Trade> trades)
            throws Exception
    {
        TradeCodec codec = new TradeCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Trade trade : trades) {
                producer.send(new ProducerRecord<>(topic, trade.symbol().getBytes(StandardCharsets.UTF_8), codec.encode(trade)));
            }
            producer.flush();
        }
    }

    /** A record that is no trade, as a foreign producer could write it. */
    void produceRaw(String key, byte[] value)
            throws Exception
    {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        }
    }

    void execute(String sql)
            throws SQLException
    {
        TestSql.execute(database, sql);
    }

    List<String> query(String sql)
            throws SQLException
    {
        return TestSql.column(database, sql);
    }

    /** Each trade once in the master dataset, read through the metastore and Hive's Avro SerDe as any Hive client reads it. */
    void assertMasterDatasetHoldsEachTradeOnce(long expected)
    {
        Row counts = hive.spark().sql("SELECT count(*), count(DISTINCT kafka_partition, kafka_offset) FROM lambda.trades_raw").first();
        assertThat(counts.getLong(0)).isEqualTo(expected);
        assertThat(counts.getLong(1)).isEqualTo(expected);
    }

    /** The Parquet views (read by DuckDB, an independent reader) and the published batch tables equal the trades before the cutoff. */
    void assertViews(List<SentTrade> sent, Instant cutoff)
            throws SQLException
    {
        Map<String, Map<String, Aggregate>> expected = Map.of(
                "minute", ExpectedAggregates.of(sent, MINUTE, cutoff.toEpochMilli()),
                "hourly", ExpectedAggregates.of(sent, HOUR, cutoff.toEpochMilli()),
                "daily", ExpectedAggregates.of(sent, DAY, cutoff.toEpochMilli()));
        for (Map.Entry<String, Map<String, Aggregate>> view : expected.entrySet()) {
            String files = views.resolve(view.getKey()).resolve("*").resolve("*.parquet").toString();
            try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
                ExpectedAggregates.assertSame(view.getValue(), ExpectedAggregates.read(duckdb,
                        "SELECT symbol, epoch_ms(bucket), open, high, low, close, volume, trades, notional FROM read_parquet('" + files + "')"));
            }
            try (Connection connection = database.open()) {
                ExpectedAggregates.assertSame(view.getValue(), ExpectedAggregates.read(connection,
                        "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.batch_" + view.getKey()));
            }
        }
    }
}
