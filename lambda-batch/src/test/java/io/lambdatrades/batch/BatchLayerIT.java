package io.lambdatrades.batch;

import io.lambdatrades.batch.SharedHive.Hive;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates;
import io.lambdatrades.embedded.testing.ExpectedAggregates.Aggregate;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.SharedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.lambdatrades.batch.BatchFixture.DAY;
import static io.lambdatrades.batch.BatchFixture.HOUR;
import static io.lambdatrades.batch.BatchFixture.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The batch pipeline against a real broker, Spark local with a real Hive metastore, and a real PostgreSQL. */
@ExtendWith({SharedKafka.class, SharedPostgres.class, SharedHive.class})
class BatchLayerIT
{
    private static final long FIRST_DAY = LocalDate.of(2026, 11, 20).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    private static final Instant CUTOFF = Instant.ofEpochMilli(FIRST_DAY + 3 * DAY);

    @Test
    void viewsEqualTheTradesOverSeveralDaysAndARerunChangesNothing(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_views");
        // Three closed days and some of the open fourth, which the views must leave out.
        fixture.produce(BatchFixture.trades(new Random(11), 6_000, FIRST_DAY, 3 * DAY + 6 * HOUR));
        // What the speed layer holds on both sides of the cutoff the run will set.
        fixture.execute("""
                INSERT INTO lambda.speed_minute VALUES
                    ('AAPL', '2026-11-22T23:59:00Z', 1, 1, 1, 1, 1, 1, 1, '2026-11-22T23:59:00Z', 0, 1, '2026-11-22T23:59:00Z', 0, 1),
                    ('AAPL', '2026-11-23T00:00:00Z', 1, 1, 1, 1, 1, 1, 1, '2026-11-23T00:00:00Z', 0, 2, '2026-11-23T00:00:00Z', 0, 2)""");
        fixture.execute("""
                INSERT INTO lambda.speed_trades (kafka_partition, kafka_offset, symbol, exchange, instrument, price, volume, ts, conditions, source, ingest_ts)
                VALUES (0, 1, 'AAPL', '', 'AAPL', 1, 1, '2026-11-22T23:58:00Z', '{}', 'simulate', now()),
                       (0, 2, 'AAPL', '', 'AAPL', 1, 1, '2026-11-22T23:59:00Z', '{}', 'simulate', now()),
                       (0, 3, 'AAPL', '', 'AAPL', 1, 1, '2026-11-23T00:00:00Z', '{}', 'simulate', now())""");

        BatchPipeline.BatchResult first = fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        List<SentTrade> sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        assertThat(first.absorbedTrades()).isEqualTo(sent.size());
        assertThat(first.viewDates()).containsExactly("2026-11-20", "2026-11-21", "2026-11-22");
        fixture.assertMasterDatasetHoldsEachTradeOnce(sent.size());
        fixture.assertViews(sent, CUTOFF);
        assertThat(fixture.query("SELECT cutoff_ts = '2026-11-23T00:00:00Z'::timestamptz FROM lambda.cutoff")).containsExactly("t");
        assertThat(fixture.query("SELECT bucket = '2026-11-23T00:00:00Z'::timestamptz FROM lambda.speed_minute")).containsExactly("t");
        // Older speed trades go, but the newest before the cutoff stays: the next change is against it.
        assertThat(fixture.query("SELECT kafka_offset FROM lambda.speed_trades ORDER BY kafka_offset")).containsExactly("2", "3");
        assertThat(hive.spark().sql("SELECT sum(trades) FROM lambda.daily").first().getLong(0))
                .isEqualTo(sent.stream().filter(trade -> trade.trade().ts() < CUTOFF.toEpochMilli()).count());

        BatchPipeline.BatchResult again = fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        assertThat(again.absorbedTrades()).isZero();
        fixture.assertMasterDatasetHoldsEachTradeOnce(sent.size());
        fixture.assertViews(sent, CUTOFF);
        assertThat(fixture.query("SELECT string_agg(task || ':' || state, ',' ORDER BY task) FROM lambda.batch_task_runs GROUP BY run_id ORDER BY run_id"))
                .containsExactly("absorb:success,publish:success,views:success", "absorb:success,publish:success,views:success");
    }

    @Test
    void aRunKilledBeforeOrAfterItsCommitLeavesEachTradeOnceAfterTheRerun(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_crash");
        fixture.produce(BatchFixture.trades(new Random(12), 2_000, FIRST_DAY, 2 * DAY));

        BatchPipeline crashBeforeCommit = fixture.pipeline(crashAt(BatchProgress.Step.ABSORB_STAGED));
        assertThatThrownBy(() -> crashBeforeCommit.run(BatchRequest.closing(CUTOFF, "test"))).hasMessageContaining("crash at ABSORB_STAGED");

        fixture.produce(BatchFixture.trades(new Random(13), 1_000, FIRST_DAY + DAY, DAY));
        BatchPipeline crashAfterCommit = fixture.pipeline(crashAt(BatchProgress.Step.ABSORB_COMMITTED));
        assertThatThrownBy(() -> crashAfterCommit.run(BatchRequest.closing(CUTOFF, "test"))).hasMessageContaining("crash at ABSORB_COMMITTED");
        assertThat(fixture.query("SELECT state FROM lambda.batch_runs ORDER BY run_id")).containsExactly("failed", "failed");

        fixture.produce(BatchFixture.trades(new Random(14), 500, FIRST_DAY + 2 * DAY, DAY));
        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        List<SentTrade> sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        assertThat(sent).hasSize(3_500);
        fixture.assertMasterDatasetHoldsEachTradeOnce(sent.size());
        fixture.assertViews(sent, CUTOFF);
    }

    @Test
    void aLateTradeForAClosedDayIsInItsViewsAfterTheNextRun(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_late");
        fixture.produce(BatchFixture.trades(new Random(15), 1_500, FIRST_DAY, 3 * DAY));
        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        Trade late = new Trade("AAPL", 123.45, 7, FIRST_DAY + 5 * HOUR + 1, List.of("late"), "simulate", CUTOFF.toEpochMilli() + 5);
        fixture.produce(List.of(late));
        BatchPipeline.BatchResult rerun = fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        assertThat(rerun.absorbedTrades()).isEqualTo(1);
        assertThat(rerun.viewDates()).containsExactly("2026-11-20");
        fixture.assertViews(KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic()), CUTOFF);
    }

    @Test
    void aCorruptMasterDatasetFileFailsTheRunForGood(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_corrupt");
        fixture.produce(BatchFixture.trades(new Random(16), 1_500, FIRST_DAY, 3 * DAY));
        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));
        // Bytes of one Avro file of the first day overwritten past its header, as a bad disk would; without
        // the local file system's checksum beside it (S3 has none), so that Avro's reader meets them.
        Path avro;
        try (Stream<Path> files = Files.walk(dir.resolve("warehouse"))) {
            avro = files.filter(file -> file.toString().contains("2026-11-20") && file.toString().endsWith(".avro")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(avro);
        Arrays.fill(bytes, bytes.length / 2, bytes.length, (byte) 0x7f);
        Files.write(avro, bytes);
        Files.deleteIfExists(avro.resolveSibling("." + avro.getFileName() + ".crc"));

        fixture.produce(List.of(new Trade("AAPL", 123.45, 7, FIRST_DAY + 5 * HOUR + 1, List.of("late"), "simulate", CUTOFF.toEpochMilli() + 5)));
        Throwable failure = catchThrowable(() -> fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test")));

        // Another attempt would read the same bytes: not worth a retry.
        assertThat(failure).isNotNull();
        assertThat(BatchErrors.isTransient(failure)).as("%s", failure).isFalse();
    }

    @Test
    void aLateTradeTheSpeedLayerWritesBetweenTheAbsorbAndThePublishStaysCountedUntilTheNextRun(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive,
            @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_late_in_run");
        fixture.produce(BatchFixture.trades(new Random(18), 1_500, FIRST_DAY, 3 * DAY));
        // Two trades of one minute of a closed day, in Kafka and in the speed layer's tables once this run's absorb is over.
        List<Trade> late = List.of(
                new Trade("AAPL", 130.5, 2, FIRST_DAY + 5 * HOUR + 10, List.of("late"), "simulate", CUTOFF.toEpochMilli() - 5),
                new Trade("AAPL", 123.25, 7, FIRST_DAY + 5 * HOUR + 1, List.of("late"), "simulate", CUTOFF.toEpochMilli() - 4));
        List<SentTrade> lateSent = new ArrayList<>();
        BatchProgress speedLayerWritesAfterTheAbsorb = (step, detail) -> {
            if (step == BatchProgress.Step.ABSORB_DONE) {
                try {
                    fixture.produce(late);
                    lateSent.addAll(KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic()).stream().filter(sent -> late.contains(sent.trade())).toList());
                    writeAsTheSpeedLayer(fixture, lateSent);
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        BatchPipeline.BatchResult run = fixture.pipeline(speedLayerWritesAfterTheAbsorb).run(BatchRequest.closing(CUTOFF, "test"));

        assertThat(run.absorbedTrades()).isEqualTo(1_500);
        List<SentTrade> sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        fixture.assertViews(sent.stream().filter(trade -> !lateSent.contains(trade)).toList(), CUTOFF);
        // Not in the views, so still the speed layer's, counted as late: its minute rebuilt from its trades.
        try (Connection connection = fixture.database().open()) {
            ExpectedAggregates.assertSame(ExpectedAggregates.of(lateSent, MINUTE, CUTOFF.toEpochMilli()), ExpectedAggregates.read(connection,
                    "SELECT symbol, (extract(epoch FROM bucket) * 1000)::bigint, open, high, low, close, volume, trades, notional FROM lambda.speed_minute"));
        }
        assertThat(fixture.query("SELECT count(*) FROM lambda.speed_trades")).containsExactly("2");

        BatchPipeline.BatchResult next = fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        assertThat(next.absorbedTrades()).isEqualTo(2);
        fixture.assertViews(sent, CUTOFF);
        assertThat(fixture.query("SELECT count(*) FROM lambda.speed_minute")).containsExactly("0");
        assertThat(fixture.query("SELECT count(*) FROM lambda.speed_trades")).as("the newest trade of AAPL before the cutoff stays").containsExactly("1");
    }

    /** What the speed layer commits for these trades: each trade, and their minutes. */
    private static void writeAsTheSpeedLayer(BatchFixture fixture, List<SentTrade> trades)
            throws SQLException
    {
        for (SentTrade trade : trades) {
            fixture.execute("""
                    INSERT INTO lambda.speed_trades (kafka_partition, kafka_offset, symbol, exchange, instrument, price, volume, ts, conditions, source, ingest_ts)
                    VALUES (%d, %d, '%s', '', '%s', %s, %s, to_timestamp(%d / 1000.0), '{}', 'simulate', now())"""
                    .formatted(trade.partition(), trade.offset(), trade.trade().symbol(), trade.trade().symbol(), trade.trade().price(), trade.trade().volume(),
                            trade.trade().ts()));
            fixture.execute("""
                    INSERT INTO lambda.speed_offsets AS o VALUES ('speed', %1$d, %2$d + 1)
                    ON CONFLICT (query_name, kafka_partition) DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset)"""
                    .formatted(trade.partition(), trade.offset()));
        }
        Map<String, List<SentTrade>> minutes = trades.stream().sorted(SentTrade.ORDER)
                .collect(Collectors.groupingBy(trade -> trade.trade().symbol() + "@" + Math.floorDiv(trade.trade().ts(), MINUTE) * MINUTE));
        for (List<SentTrade> minute : minutes.values()) {
            SentTrade first = minute.get(0);
            SentTrade last = minute.get(minute.size() - 1);
            fixture.execute("""
                    INSERT INTO lambda.speed_minute VALUES ('%s', to_timestamp(%d / 1000.0), %s, %s, %s, %s, %s, %d, %s,
                        to_timestamp(%d / 1000.0), %d, %d, to_timestamp(%d / 1000.0), %d, %d)"""
                    .formatted(first.trade().symbol(), Math.floorDiv(first.trade().ts(), MINUTE) * MINUTE, first.trade().price(),
                            minute.stream().mapToDouble(trade -> trade.trade().price()).max().orElseThrow(),
                            minute.stream().mapToDouble(trade -> trade.trade().price()).min().orElseThrow(), last.trade().price(),
                            minute.stream().mapToDouble(trade -> trade.trade().volume()).sum(), minute.size(),
                            minute.stream().mapToDouble(trade -> trade.trade().price() * trade.trade().volume()).sum(),
                            first.trade().ts(), first.partition(), first.offset(), last.trade().ts(), last.partition(), last.offset()));
        }
    }

    @Test
    void theTasksOneByOneAndABackfillGiveTheViewsOfOneRun(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_tasks");
        fixture.produce(BatchFixture.trades(new Random(16), 3_000, FIRST_DAY, 3 * DAY + 6 * HOUR));
        BatchPipeline pipeline = fixture.pipeline();
        for (String day : List.of("2026-11-20", "2026-11-21", "2026-11-22")) {
            BatchRequest period = BatchRequest.period(day, Instant.now(), fixture.config().period());
            for (BatchTask task : List.of(BatchTask.ABSORB, BatchTask.VIEWS, BatchTask.PUBLISH)) {
                pipeline.task(task, period);
            }
        }
        List<SentTrade> sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        fixture.assertViews(sent, CUTOFF);
        assertThat(fixture.query("SELECT trigger || ' ' || state FROM lambda.batch_runs ORDER BY run_id"))
                .containsExactly("external success", "external success", "external success");

        // A publish whose views were not computed is refused, and changes nothing.
        assertThatThrownBy(() -> pipeline.task(BatchTask.PUBLISH, BatchRequest.period("2026-11-23", Instant.now(), fixture.config().period())))
                .hasMessageContaining("has not computed its views yet");

        BatchPipeline.BatchResult backfill = pipeline.run(new BatchRequest(CUTOFF, Optional.of(LocalDate.parse("2026-11-20")),
                Optional.of(LocalDate.parse("2026-11-22")), "backfill"));
        assertThat(backfill.viewDates()).containsExactly("2026-11-20", "2026-11-21", "2026-11-22");
        fixture.assertViews(sent, CUTOFF);
        fixture.assertMasterDatasetHoldsEachTradeOnce(sent.size());
    }

    @Test
    void aRunResumedAfterAFailedTaskContinuesFromThatTask(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_resume");
        fixture.produce(BatchFixture.trades(new Random(17), 2_000, FIRST_DAY, 3 * DAY));
        assertThatThrownBy(() -> fixture.pipeline(crashAt(BatchProgress.Step.VIEWS_DONE)).run(BatchRequest.closing(CUTOFF, "test")))
                .hasMessageContaining("crash at VIEWS_DONE");
        long runId = Long.parseLong(fixture.query("SELECT run_id FROM lambda.batch_runs").get(0));

        BatchPipeline.BatchResult resumed = fixture.pipeline().resume(runId);

        assertThat(resumed.absorbedTrades()).isZero();
        fixture.assertViews(KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic()), CUTOFF);
        assertThat(fixture.query("SELECT task || ' ' || state || ' ' || attempts FROM lambda.batch_task_runs ORDER BY started_at"))
                .containsExactly("absorb success 1", "views success 2", "publish success 1");
        assertThat(fixture.query("SELECT state || ' ' || trades_absorbed || ' ' || (rows_published > 0) FROM lambda.batch_runs"))
                .containsExactly("success 2000 true");
    }

    @Test
    void offsetsKafkaDeletedBeforeTheAbsorbAreRecordedOnceAsLost(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_lost");
        fixture.produce(BatchFixture.trades(new Random(18), 900, FIRST_DAY, 2 * DAY));
        // What retention does to a segment, done at once: the fullest partition starts at offset 40 now.
        int partition = deleteBefore(kafka, fixture.topic(), 40);

        BatchPipeline.BatchResult run = fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        assertThat(run.expired()).containsExactly(new AbsorbBacklog.ExpiredOffsets(fixture.topic(), partition, 0, 39));
        assertThat(run.absorbedTrades()).isEqualTo(860);
        assertThat(fixture.query("SELECT offsets_lost FROM lambda.batch_runs")).containsExactly("40");
        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));
        assertThat(fixture.query("SELECT kafka_partition || ':' || first_offset || '-' || last_offset || ' ' || (acknowledged_at IS NULL) FROM lambda.retention_losses"))
                .containsExactly(partition + ":0-39 true");
    }

    @Test
    void offsetsKafkaDeletesWhileTheAbsorbReadsAreALossNotAbsorbed(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "batch_vanished");
        fixture.produce(BatchFixture.trades(new Random(19), 900, FIRST_DAY, 2 * DAY));
        fixture.produceRaw("AAPL", new byte[] {1, 2, 3});
        AbsorbLedger ledger = new AbsorbLedger(fixture.database());
        Absorber absorber = new Absorber(hive.spark(), MasterDataset.ensure(hive.spark(), fixture.config().warehouseDir()), ledger, kafka.bootstrapServers(),
                fixture.topic(), BatchProgress.NONE);
        AbsorbBacklog backlog = AbsorbBacklog.read(ledger, kafka.bootstrapServers(), fixture.topic());
        assertThat(backlog.expired()).isEmpty();

        // Retention between the backlog's offsets and Spark's read of them.
        int partition = deleteBefore(kafka, fixture.topic(), 40);
        Absorber.AbsorbResult result = absorber.absorb(backlog);

        assertThat(result.expired()).containsExactly(new AbsorbBacklog.ExpiredOffsets(fixture.topic(), partition, 0, 39));
        assertThat(result.undecodable()).isOne();
        assertThat(result.trades()).isEqualTo(860);
        fixture.assertMasterDatasetHoldsEachTradeOnce(860);
        assertThat(fixture.query("SELECT kafka_partition || ':' || first_offset || '-' || last_offset || ' ' || (acknowledged_at IS NULL) FROM lambda.retention_losses"))
                .containsExactly(partition + ":0-39 true");
        assertThat(fixture.query("SELECT trades FROM lambda.absorb_runs")).containsExactly("860");
        assertThat(fixture.query("SELECT end_offset - first_offset FROM lambda.absorb_undecodable")).containsExactly("1");
    }

    /** Deletes the records before {@code offset} of the topic's fullest partition, as retention would; returns that partition. */
    private static int deleteBefore(EmbeddedKafka kafka, String topic, long offset)
            throws Exception
    {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            for (int candidate = 0; candidate < 3; candidate++) {
                partitions.put(new TopicPartition(topic, candidate), OffsetSpec.latest());
            }
            int partition = admin.listOffsets(partitions).all().get().entrySet().stream()
                    .max(Comparator.comparingLong(entry -> entry.getValue().offset())).orElseThrow().getKey().partition();
            admin.deleteRecords(Map.of(new TopicPartition(topic, partition), RecordsToDelete.beforeOffset(offset))).all().get();
            return partition;
        }
    }

    private static BatchProgress crashAt(BatchProgress.Step step)
    {
        return (reached, detail) -> {
            if (reached == step) {
                throw new IllegalStateException("crash at " + step);
            }
        };
    }
}
