package io.lambdatrades.speed;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.PostgresSchema;
import io.lambdatrades.common.SpeedQueryNames;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.config.SparkConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedSpeedViews;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import io.lambdatrades.embedded.testing.TestSql;
import io.lambdatrades.embedded.testing.TestTrades;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The speed query against a real broker, Spark in local mode and a real PostgreSQL. */
@ExtendWith({SharedKafka.class, SharedPostgres.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeedLayerIT
{
    private static final long BASE_TS = 1_763_000_000_000L;
    // A flush that fails on a quiet topic reaches the task at the epoch's end: short epochs, so that the
    // failure tests wait seconds, not the production minute.
    private static final Duration REAL_TIME_EPOCH = Duration.ofSeconds(5);

    private SparkSession spark;

    @BeforeAll
    void startSpark()
    {
        // Real-time mode needs a task slot for each of the topic's 3 partitions at once.
        spark = SparkSessions.create("speed-it", SparkConfig.local(4));
    }

    @AfterAll
    void stopSpark()
    {
        spark.stop();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void viewsEqualWhatTheTradesGiveDirectlyAcrossARestartWithLateTrades(Mode mode, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, @TempDir Path checkpoint)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_views_" + mode.name().toLowerCase(Locale.ROOT));
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-views-" + mode.name().toLowerCase(Locale.ROOT));
        Random random = new Random(3);
        produce(kafka, topic, TestTrades.bursty(random, 3_000, BASE_TS));

        runUntilWritten(mode, kafka, topic, database, checkpoint, 3_000);
        assertViewsMatch(kafka, topic, database);

        // Late trades (earlier than what is written) and more of the same millisecond, after a restart.
        List<Trade> more = TestTrades.bursty(random, 1_000, BASE_TS - 30_000);
        produce(kafka, topic, more);
        runUntilWritten(mode, kafka, topic, database, checkpoint, 4_000);
        assertViewsMatch(kafka, topic, database);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withItsCheckpointLostTheQueryReadsTheTopicAgainAndWritesNothingTwice(Mode mode, EmbeddedKafka kafka, EmbeddedPostgresServer postgres,
            @TempDir Path firstCheckpoint, @TempDir Path secondCheckpoint)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_lost_" + mode.name().toLowerCase(Locale.ROOT));
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-lost-" + mode.name().toLowerCase(Locale.ROOT));
        Random random = new Random(9);
        produce(kafka, topic, TestTrades.bursty(random, 800, BASE_TS));
        runUntilWritten(mode, kafka, topic, database, firstCheckpoint, 800);

        // A new checkpoint reads the topic from its first offset: the 800 trades again, then 300 new ones.
        produce(kafka, topic, TestTrades.bursty(random, 300, BASE_TS + 60_000));
        runUntilWritten(mode, kafka, topic, database, secondCheckpoint, 1_100);
        assertViewsMatch(kafka, topic, database);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void whilePostgresIsDownTheQueryWaitsAndThenCatchesUpExactly(Mode mode, EmbeddedKafka kafka, @TempDir Path checkpoint, @TempDir Path postgresDir)
            throws Exception
    {
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-outage-" + mode.name().toLowerCase(Locale.ROOT));
        Random random = new Random(5);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(postgresDir, SharedPostgres.binariesDir(), 0);
        int port = postgres.port();
        PostgresConnection database = postgres.connection();
        new PostgresSchema(database).migrate();
        try (KafkaProducer<byte[], byte[]> dlq = producer(kafka)) {
            StreamingQuery query = start(mode, kafka, topic, database, checkpoint, dlq);
            try {
                produce(kafka, topic, TestTrades.bursty(random, 500, BASE_TS));
                await().atMost(Duration.ofMinutes(2)).until(() -> count(database) == 500);

                postgres.close();
                produce(kafka, topic, TestTrades.bursty(random, 700, BASE_TS + 100_000));
                // The query keeps retrying the batch; it must still be alive when PostgreSQL returns.
                await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(query::isActive);

                postgres = EmbeddedPostgresServer.start(postgresDir, SharedPostgres.binariesDir(), port);
                await().atMost(Duration.ofMinutes(2)).until(() -> count(database) == 1_200);
                assertThat(query.isActive()).isTrue();
                assertViewsMatch(kafka, topic, database);
            }
            finally {
                query.stop();
                postgres.close();
            }
        }
    }

    @Test
    void aBatchWrittenTwiceIsWrittenOnce(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_replay");
        SpeedSink sink = new SpeedSink(database, SpeedQueryNames.QUERY);
        List<KafkaTrade> batch = List.of(
                new KafkaTrade(trade("AAPL", 100, BASE_TS), 0, 0),
                new KafkaTrade(new Trade("AAPL", 110, 1, BASE_TS + 1, List.of("a,b", "x\"y", "{z} \\"), "simulate", BASE_TS + 1), 0, 1));

        assertThat(sink.write(7, batch)).isTrue();
        assertThat(sink.write(7, batch)).isFalse();

        assertThat(query(database, "SELECT count(*) FROM lambda.speed_trades")).containsExactly("2");
        assertThat(query(database, "SELECT trades FROM lambda.speed_minute")).containsExactly("2");
        // The seed's sign error: a rise from 100 to 110 is +10 %.
        assertThat(query(database, "SELECT price_change || ' ' || pct_change FROM lambda.speed_trades WHERE kafka_offset = 1")).containsExactly("10 10");
        // Conditions as sent, whatever characters they hold.
        assertThat(query(database, "SELECT array_to_string(conditions, '|') FROM lambda.speed_trades WHERE kafka_offset = 1")).containsExactly("a,b|x\"y|{z} \\");
    }

    @Test
    void aGroupWrittenTwiceIsWrittenOnce(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_group_replay");
        SpeedSink sink = new SpeedSink(database, SpeedQueryNames.QUERY);
        List<KafkaTrade> first = List.of(new KafkaTrade(trade("AAPL", 100, BASE_TS), 1, 0), new KafkaTrade(trade("AAPL", 110, BASE_TS + 1), 1, 1));
        List<KafkaTrade> overlapping = List.of(new KafkaTrade(trade("AAPL", 110, BASE_TS + 1), 1, 1), new KafkaTrade(trade("AAPL", 99, BASE_TS + 2), 1, 2));

        assertThat(sink.writeGroup(1, first)).isTrue();
        assertThat(sink.writeGroup(1, first)).isFalse();
        assertThat(sink.writeGroup(1, overlapping)).isTrue();

        assertThat(query(database, "SELECT count(*) FROM lambda.speed_trades")).containsExactly("3");
        assertThat(query(database, "SELECT trades || ' ' || open || ' ' || close FROM lambda.speed_minute")).containsExactly("3 100 99");
        assertThat(query(database, "SELECT next_offset FROM lambda.speed_offsets WHERE kafka_partition = 1")).containsExactly("3");
        assertThat(query(database, "SELECT trades FROM lambda.speed_batches WHERE query_name = 'speed-realtime' AND batch_id = 1")).containsExactly("3");
        sink.close();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void valuesThatDoNotDecodeGoToTheDeadLetterTopicAndTheQueryGoesOn(Mode mode, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, @TempDir Path checkpoint)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_dlq_" + mode.name().toLowerCase(Locale.ROOT));
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-dlq-" + mode.name().toLowerCase(Locale.ROOT));
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, "AAPL".getBytes(StandardCharsets.UTF_8), "{\"p\":1}".getBytes(StandardCharsets.UTF_8))).get();
        }
        produce(kafka, topic, List.of(trade("AAPL", 101, BASE_TS)));

        runUntilWritten(mode, kafka, topic, database, checkpoint, 1);

        List<DeadLetter> deadLetters = KafkaTopics.readAll(kafka.bootstrapServers(), topic + ".dlq").stream().map(DeadLetter::fromConsumerRecord).toList();
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).reason()).startsWith("not an Avro single-object trade record");
        assertThat(deadLetters.get(0).source()).isEqualTo("speed");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aDeadLetterThatCannotBeSentFailsTheQueryBeforeTheOffsetsAfterItAdvance(Mode mode, EmbeddedKafka kafka, EmbeddedPostgresServer postgres,
            @TempDir Path checkpoint)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_dlq_lost_" + mode.name().toLowerCase(Locale.ROOT));
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-dlq-lost-" + mode.name().toLowerCase(Locale.ROOT));
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, "AAPL".getBytes(StandardCharsets.UTF_8), "{\"p\":1}".getBytes(StandardCharsets.UTF_8))).get();
        }
        produce(kafka, topic, List.of(trade("AAPL", 101, BASE_TS), trade("AAPL", 102, BASE_TS + 1)));

        // No broker takes a topic of that name: every send fails.
        try (KafkaProducer<byte[], byte[]> dlq = producer(kafka)) {
            assertFailsWith(start(mode, kafka, topic, "no such topic!", database, checkpoint, dlq), "cannot send a record that is no trade");
        }
        // The trades after the record stay unwritten: a restart reads the record again and sends it.
        assertThat(count(database)).isZero();
        assertThat(query(database, "SELECT count(*) FROM lambda.speed_offsets WHERE next_offset > 0")).containsExactly("0");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aWriteNoRetryCanCureFailsTheQueryInsteadOfRetryingForever(Mode mode, EmbeddedKafka kafka, EmbeddedPostgresServer postgres, @TempDir Path checkpoint)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "speed_permanent_" + mode.name().toLowerCase(Locale.ROOT));
        String topic = KafkaTopics.createTradeTopics(kafka, "speed-permanent-" + mode.name().toLowerCase(Locale.ROOT));
        // An integrity error (SQLSTATE 23514): the same rows fail the same way however often they are written.
        TestSql.execute(database, "ALTER TABLE lambda.speed_trades ADD CONSTRAINT price_below_1000 CHECK (price < 1000)");
        produce(kafka, topic, List.of(trade("AAPL", 5_000, BASE_TS)));

        try (KafkaProducer<byte[], byte[]> dlq = producer(kafka)) {
            assertFailsWith(start(mode, kafka, topic, database, checkpoint, dlq), "violates check constraint");
        }
        assertThat(count(database)).isZero();
    }

    /** The query stops by itself, failed, with {@code cause} in its failure. */
    private static void assertFailsWith(StreamingQuery query, String cause)
            throws TimeoutException
    {
        try {
            assertThatThrownBy(() -> query.awaitTermination(Duration.ofSeconds(90).toMillis())).isInstanceOf(StreamingQueryException.class)
                    .hasStackTraceContaining(cause);
        }
        finally {
            query.stop();
        }
    }

    /** The two ways the speed layer runs: they must give the same tables. */
    enum Mode
    {
        MICROBATCH, REALTIME
    }

    private StreamingQuery start(Mode mode, EmbeddedKafka kafka, String topic, PostgresConnection database, Path checkpoint, KafkaProducer<byte[], byte[]> dlq)
            throws Exception
    {
        return start(mode, kafka, topic, topic + ".dlq", database, checkpoint, dlq);
    }

    private StreamingQuery start(Mode mode, EmbeddedKafka kafka, String topic, String deadLetterTopic, PostgresConnection database, Path checkpoint,
            KafkaProducer<byte[], byte[]> dlq)
            throws Exception
    {
        if (mode == Mode.REALTIME) {
            return new RealTimeSpeedQuery(spark, kafka.bootstrapServers(), topic, checkpoint.toString(), REAL_TIME_EPOCH,
                    new RealTimeGroupWriter(database, kafka.bootstrapServers(), deadLetterTopic, Duration.ofMillis(5), 500)).start();
        }
        SpeedBatchWriter writer = new SpeedBatchWriter(new SpeedSink(database, SpeedQueryNames.QUERY),
                deadLetter -> dlq.send(deadLetter.toProducerRecord(deadLetterTopic)));
        return new SpeedQuery(spark, kafka.bootstrapServers(), topic, checkpoint.toString(), Duration.ofMillis(100), 100_000, writer).start();
    }

    private void runUntilWritten(Mode mode, EmbeddedKafka kafka, String topic, PostgresConnection database, Path checkpoint, int expected)
            throws Exception
    {
        try (KafkaProducer<byte[], byte[]> dlq = producer(kafka)) {
            StreamingQuery query = start(mode, kafka, topic, database, checkpoint, dlq);
            try {
                await().atMost(Duration.ofMinutes(2)).until(() -> count(database) == expected);
            }
            finally {
                query.stop();
            }
        }
    }

    private static void assertViewsMatch(EmbeddedKafka kafka, String topic, PostgresConnection database)
            throws SQLException
    {
        ExpectedSpeedViews.assertMatch(KafkaTopics.readTrades(kafka.bootstrapServers(), topic), database);
    }

    private static Trade trade(String symbol, double price, long ts)
    {
        return new Trade(symbol, price, 1, ts, List.of(), "simulate", ts);
    }

    private static void produce(EmbeddedKafka kafka, String topic, List<Trade> trades)
    {
        TestTrades.produce(kafka.bootstrapServers(), topic, trades);
    }

    private static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka)
    {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static long count(PostgresConnection database)
            throws SQLException
    {
        return Long.parseLong(query(database, "SELECT count(*) FROM lambda.speed_trades").get(0));
    }

    private static List<String> query(PostgresConnection database, String sql)
            throws SQLException
    {
        return TestSql.column(database, sql);
    }
}
