package io.lambdatrades.batch;

import io.lambdatrades.batch.SharedHive.Hive;
import io.lambdatrades.batch.audit.AuditReport;
import io.lambdatrades.batch.audit.AuditScope;
import io.lambdatrades.batch.audit.Grain;
import io.lambdatrades.batch.audit.OffsetRange;
import io.lambdatrades.common.AggregateColumns;
import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeCodec;
import io.lambdatrades.common.config.BatchConfig;
import io.lambdatrades.embedded.EmbeddedKafka;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.KafkaTopics;
import io.lambdatrades.embedded.testing.SharedKafka;
import io.lambdatrades.embedded.testing.SharedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.lambdatrades.batch.BatchFixture.DAY;
import static io.lambdatrades.batch.BatchFixture.HOUR;
import static io.lambdatrades.batch.BatchFixture.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lambda audit} against a real broker, metastore and PostgreSQL: the batch views come from a
 * real run, the speed layer's rows are written here from the trades as a correct speed layer would.
 */
@ExtendWith({SharedKafka.class, SharedPostgres.class, SharedHive.class})
class ServingAuditIT
{
    private static final long FIRST_DAY = LocalDate.of(2026, 11, 20).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    private static final Instant CUTOFF = Instant.ofEpochMilli(FIRST_DAY + 3 * DAY);
    private static final LocalDate OPEN_DAY = LocalDate.of(2026, 11, 23);

    @Test
    void theViewsEqualTheTradesAndEachTamperedBucketIsNamed(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "audit_views");
        // Absorbed: three closed days and the first hours of the open one.
        fixture.produce(BatchFixture.trades(new Random(21), 4_000, FIRST_DAY, 3 * DAY + 6 * HOUR));
        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));
        // Not absorbed: only in Kafka and in the speed layer.
        fixture.produce(BatchFixture.trades(new Random(22), 1_000, CUTOFF.toEpochMilli() + 6 * HOUR, 6 * HOUR));
        List<SentTrade> sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        writeSpeedLayer(fixture, atOrAfterCutoff(sent), sent);
        // The speed layer stops: Kafka has trades it never writes. They are lag, apart from the differences, and the audit fails.
        fixture.produce(BatchFixture.trades(new Random(23), 300, CUTOFF.toEpochMilli() + 12 * HOUR, HOUR));
        AuditReport stalled = audit(fixture, AuditScope.everyDay());
        assertThat(stalled.differences()).isEmpty();
        assertThat(stalled.lagTrades()).isEqualTo(300);
        assertThat(stalled.passed()).isFalse();

        // The speed layer catches up.
        sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        writeSpeedLayer(fixture, atOrAfterCutoff(sent), sent);
        AuditReport everyDay = audit(fixture, AuditScope.everyDay());
        assertThat(everyDay.differences()).isEmpty();
        assertThat(everyDay.passed()).isTrue();
        assertThat(everyDay.ledger()).hasValueSatisfying(ledger -> assertThat(ledger.clean()).isTrue());
        assertThat(everyDay.symbolList()).hasValueSatisfying(differences -> assertThat(differences).isEmpty());
        assertThat(everyDay.days()).extracting(AuditReport.DayResult::day)
                .containsExactly(LocalDate.of(2026, 11, 20), LocalDate.of(2026, 11, 21), LocalDate.of(2026, 11, 22), OPEN_DAY);
        assertThat(everyDay.days()).allSatisfy(day -> assertThat(day.buckets()).containsKeys(Grain.DAY, Grain.HOUR).doesNotContainKey(Grain.MINUTE));
        AuditReport openDay = audit(fixture, AuditScope.of(new TreeSet<>(List.of(OPEN_DAY))));
        assertThat(openDay.differences()).isEmpty();
        assertThat(openDay.symbolList()).as("one day holds neither a symbol's day before nor all its sparkline").isEmpty();
        assertThat(openDay.days()).singleElement().satisfies(day -> {
            assertThat(day.buckets().get(Grain.HOUR)).isEqualTo(BatchFixture.SYMBOLS.size() * 13);
            assertThat(day.buckets().get(Grain.MINUTE)).isGreaterThan(500);
        });

        // The API's symbol list, kept apart from the views, wrong on its own: a price, a sparkline, a symbol's row.
        fixture.execute("UPDATE lambda.symbol_summaries SET price = price + 0.01 WHERE symbol = 'AAPL'");
        fixture.execute("UPDATE lambda.symbol_summaries SET hourly_closes = hourly_closes[2:] WHERE symbol = 'MSFT'");
        fixture.execute("DELETE FROM lambda.symbol_summaries WHERE symbol = 'OANDA:EUR_USD'");
        AuditReport symbolList = audit(fixture, AuditScope.everyDay());
        assertThat(symbolList.differences()).isEmpty();
        assertThat(symbolList.exact()).isFalse();
        assertThat(symbolList.symbolList()).hasValueSatisfying(differences -> assertThat(differences)
                .extracting(difference -> difference.symbol() + ": " + difference.what().replaceAll(" .*", ""))
                .containsExactly("AAPL: price", "MSFT: hourly", "OANDA:EUR_USD: missing"));
        rollUpSpeedMinutes(fixture);

        // One partition's speed rows and its offsets row erased: the audit does not take the speed layer's word for what it should hold.
        int erased = sent.stream().filter(trade -> trade.trade().symbol().equals("MSFT")).findFirst().orElseThrow().partition();
        fixture.execute("DELETE FROM lambda.speed_minute WHERE first_partition = " + erased);
        rollUpSpeedMinutes(fixture);
        fixture.execute("DELETE FROM lambda.speed_offsets WHERE kafka_partition = " + erased);
        AuditReport erasedPartition = audit(fixture, AuditScope.everyDay());
        assertThat(erasedPartition.lag()).containsOnlyKeys(erased);
        assertThat(erasedPartition.passed()).isFalse();
        writeSpeedLayer(fixture, atOrAfterCutoff(sent), sent);

        // A trade's price changed in the speed layer's minutes, and so in its rollups.
        fixture.execute("""
                UPDATE lambda.speed_minute SET high = high + 1000 WHERE symbol = 'AAPL'
                AND bucket = (SELECT min(bucket) FROM lambda.speed_minute WHERE symbol = 'AAPL')""");
        rollUpSpeedMinutes(fixture);
        assertThat(audit(fixture, AuditScope.everyDay()).differences()).extracting(difference -> difference.grain() + " " + difference.symbol())
                .containsExactly("DAY AAPL", "HOUR AAPL");
        writeSpeedLayer(fixture, atOrAfterCutoff(sent), sent);

        // A maintained rollup wrong on its own: the hourly view reads it, not the minutes.
        fixture.execute("""
                UPDATE lambda.speed_hourly SET volume = volume + 1 WHERE symbol = 'MSFT'
                AND bucket = (SELECT min(bucket) FROM lambda.speed_hourly WHERE symbol = 'MSFT')""");
        assertThat(audit(fixture, AuditScope.everyDay()).differences()).extracting(difference -> difference.grain() + " " + difference.symbol())
                .containsExactly("HOUR MSFT");
        writeSpeedLayer(fixture, atOrAfterCutoff(sent), sent);

        fixture.execute("UPDATE lambda.batch_daily SET volume = volume + 1 WHERE symbol = 'AAPL' AND date = '2026-11-21'");
        fixture.execute("DELETE FROM lambda.speed_minute WHERE symbol = 'MSFT' AND bucket = (SELECT max(bucket) FROM lambda.speed_minute WHERE symbol = 'MSFT')");
        rollUpSpeedMinutes(fixture);

        AuditReport tampered = audit(fixture, AuditScope.everyDay());
        assertThat(tampered.differences()).extracting(difference -> difference.grain() + " " + difference.symbol() + " " + difference.bucket())
                .containsExactly("DAY AAPL 2026-11-21T00:00:00Z", "DAY MSFT 2026-11-23T00:00:00Z", "HOUR MSFT 2026-11-23T12:00:00Z");
        assertThat(tampered.differences().get(0).what()).startsWith("volume ").endsWith(" in the trades");
        assertThat(tampered.differences().get(1).what()).startsWith("trades ");
        assertThat(audit(fixture, AuditScope.of(new TreeSet<>(List.of(OPEN_DAY)))).differences()).extracting(AuditReport.Difference::grain)
                .containsExactly(Grain.DAY, Grain.HOUR, Grain.MINUTE);
    }

    @Test
    void aMasterDatasetFileRemovedIsNamedOffsetByOffsetAndLossesAndUndecodableRecordsAreListed(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive,
            @TempDir Path dir)
            throws Exception
    {
        BatchFixture fixture = BatchFixture.create(kafka, postgres, hive, dir, "audit_ledger");
        // A record that is no trade, first in AAPL's partition: the trades after it carry the speed layer's offsets past it.
        fixture.produceRaw("AAPL", new byte[] {7});
        fixture.produce(BatchFixture.trades(new Random(25), 1_500, FIRST_DAY, 3 * DAY));
        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));
        TradeCodec codec = new TradeCodec();
        List<SentTrade> sent = KafkaTopics.readAll(kafka.bootstrapServers(), fixture.topic()).stream().filter(record -> record.value().length > 1)
                .map(record -> new SentTrade(codec.decode(record.value()), record.partition(), record.offset())).toList();
        writeSpeedLayer(fixture, atOrAfterCutoff(sent), sent);

        AuditReport clean = audit(fixture, AuditScope.everyDay());
        assertThat(clean.passed()).isTrue();
        assertThat(clean.ledger()).hasValueSatisfying(ledger -> {
            assertThat(ledger.clean()).isTrue();
            assertThat(ledger.undecodable()).singleElement().satisfies(range -> assertThat(range.count()).isOne());
        });

        Path removed;
        try (var files = Files.walk(dir.resolve("warehouse"))) {
            removed = files.filter(file -> file.toString().endsWith(".avro") && file.toString().contains("trade_date=2026-11-21")).findFirst().orElseThrow();
        }
        long removedTrades = hive.spark().read().format("avro").load(removed.toString()).count();
        Files.delete(removed);

        AuditReport tampered = audit(fixture, AuditScope.everyDay());
        assertThat(tampered.exact()).isFalse();
        assertThat(tampered.ledger()).hasValueSatisfying(ledger -> {
            assertThat(ledger.missing().stream().mapToLong(OffsetRange::count).sum()).isEqualTo(removedTrades);
            assertThat(ledger.doubled()).isEmpty();
        });
        assertThat(tampered.differences()).isNotEmpty();

        // A file installed twice: each of its offsets is named as held more than once.
        Path copied;
        try (var files = Files.walk(dir.resolve("warehouse"))) {
            copied = files.filter(file -> file.toString().endsWith(".avro") && file.toString().contains("trade_date=2026-11-20")).findFirst().orElseThrow();
        }
        long copiedTrades = hive.spark().read().format("avro").load(copied.toString()).count();
        Files.copy(copied, copied.resolveSibling("again-" + copied.getFileName()));
        assertThat(audit(fixture, AuditScope.everyDay()).ledger()).hasValueSatisfying(ledger ->
                assertThat(ledger.doubled().stream().mapToLong(OffsetRange::count).sum()).isEqualTo(copiedTrades));
        // One day's audit has no ledger check: it counts each trade of the doubled file once, and the views were right.
        AuditReport day = audit(fixture, AuditScope.of(new TreeSet<>(List.of(LocalDate.parse("2026-11-20")))));
        assertThat(day.differences()).isEmpty();
        assertThat(day.days()).singleElement().satisfies(result -> assertThat(result.day()).isEqualTo(LocalDate.parse("2026-11-20")));
    }

    @Test
    void aRunWithTheAuditOnRecordsItsResult(EmbeddedKafka kafka, EmbeddedPostgresServer postgres, Hive hive, @TempDir Path dir)
            throws Exception
    {
        BatchFixture plain = BatchFixture.create(kafka, postgres, hive, dir, "audit_run");
        BatchConfig config = plain.config();
        BatchFixture fixture = plain.withConfig(new BatchConfig(config.spark(), config.metastoreUri(), config.metastorePort(), config.metastoreDir(),
                config.warehouseDir(), config.viewsDir(), config.period(), true));
        fixture.produce(BatchFixture.trades(new Random(24), 2_000, FIRST_DAY, 3 * DAY + 2 * HOUR));
        // No cutoff yet: the speed layer holds every trade.
        List<SentTrade> sent = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        writeSpeedLayer(fixture, sent, sent);

        BatchPipeline.BatchResult run = fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));

        assertThat(run.audit()).hasValueSatisfying(report -> assertThat(report.exact()).isTrue());
        assertThat(fixture.query("SELECT audit_differences || ' ' || array_to_string(audited_dates, ',') FROM lambda.batch_runs"))
                .containsExactly("0 2026-11-20,2026-11-21,2026-11-22,2026-11-23");
        assertThat(fixture.query("SELECT string_agg(task || ':' || state, ',' ORDER BY started_at) FROM lambda.batch_task_runs"))
                .containsExactly("absorb:success,views:success,publish:success,audit:success");

        // A late trade for a closed day: the speed layer counts it, the views get it at the next run.
        Trade late = new Trade("AAPL", 321.5, 3, FIRST_DAY + DAY + 5, List.of(), "simulate", CUTOFF.toEpochMilli() + 9 * HOUR);
        fixture.produce(List.of(late));
        List<SentTrade> withLate = KafkaTopics.readTrades(kafka.bootstrapServers(), fixture.topic());
        List<SentTrade> held = new ArrayList<>(atOrAfterCutoff(withLate));
        held.addAll(withLate.stream().filter(trade -> trade.trade().equals(late)).toList());
        writeSpeedLayer(fixture, held, withLate);
        AuditReport beforeRun = audit(fixture, AuditScope.of(new TreeSet<>(List.of(LocalDate.of(2026, 11, 21)))));
        assertThat(beforeRun.differences()).extracting(AuditReport.Difference::grain).containsExactly(Grain.DAY, Grain.HOUR, Grain.MINUTE);
        assertThat(beforeRun.differences()).allSatisfy(difference -> assertThat(difference.lateTrades()).isEqualTo(1));

        fixture.pipeline().run(BatchRequest.closing(CUTOFF, "test"));
        assertThat(fixture.query("SELECT audit_differences FROM lambda.batch_runs ORDER BY run_id")).containsExactly("0", "0");
        assertThat(audit(fixture, AuditScope.everyDay()).exact()).isTrue();
    }

    private static AuditReport audit(BatchFixture fixture, AuditScope scope)
            throws Exception
    {
        // No speed layer runs here: what the test did not write is lag at once.
        return fixture.pipeline().audit(scope, Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    private static List<SentTrade> atOrAfterCutoff(List<SentTrade> sent)
    {
        return sent.stream().filter(trade -> trade.trade().ts() >= CUTOFF.toEpochMilli()).toList();
    }

    /**
     * What a correct speed layer holds after reading some trades: the minute aggregates of those it
     * holds, and its offsets past the last trade it read.
     */
    private static void writeSpeedLayer(BatchFixture fixture, List<SentTrade> held, List<SentTrade> read)
            throws SQLException
    {
        Map<String, List<SentTrade>> minutes = held.stream().sorted(SentTrade.ORDER)
                .collect(Collectors.groupingBy(trade -> trade.trade().symbol() + "@" + Math.floorDiv(trade.trade().ts(), MINUTE) * MINUTE, TreeMap::new,
                        Collectors.toList()));
        fixture.execute("DELETE FROM lambda.speed_minute");
        try (Connection connection = fixture.database().open();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO lambda.speed_minute VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement offsets = connection.prepareStatement("""
                        INSERT INTO lambda.speed_offsets VALUES ('test', ?, ?)
                        ON CONFLICT (query_name, kafka_partition) DO UPDATE SET next_offset = excluded.next_offset""")) {
            for (List<SentTrade> minute : minutes.values()) {
                SentTrade first = minute.get(0);
                SentTrade last = minute.get(minute.size() - 1);
                insert.setString(1, first.trade().symbol());
                insert.setTimestamp(2, new Timestamp(Math.floorDiv(first.trade().ts(), MINUTE) * MINUTE));
                insert.setDouble(3, first.trade().price());
                insert.setDouble(4, minute.stream().mapToDouble(trade -> trade.trade().price()).max().orElseThrow());
                insert.setDouble(5, minute.stream().mapToDouble(trade -> trade.trade().price()).min().orElseThrow());
                insert.setDouble(6, last.trade().price());
                insert.setDouble(7, minute.stream().mapToDouble(trade -> trade.trade().volume()).sum());
                insert.setLong(8, minute.size());
                insert.setDouble(9, minute.stream().mapToDouble(trade -> trade.trade().price() * trade.trade().volume()).sum());
                insert.setTimestamp(10, new Timestamp(first.trade().ts()));
                insert.setInt(11, first.partition());
                insert.setLong(12, first.offset());
                insert.setTimestamp(13, new Timestamp(last.trade().ts()));
                insert.setInt(14, last.partition());
                insert.setLong(15, last.offset());
                insert.executeUpdate();
            }
            for (Map.Entry<Integer, Long> partition : read.stream().collect(Collectors.toMap(SentTrade::partition, SentTrade::offset, Math::max)).entrySet()) {
                offsets.setInt(1, partition.getKey());
                offsets.setLong(2, partition.getValue() + 1);
                offsets.executeUpdate();
            }
        }
        rollUpSpeedMinutes(fixture);
    }

    /** The speed layer's hourly and daily rollups of its minutes at or after the cutoff, and the symbol list, as its commits maintain them. */
    private static void rollUpSpeedMinutes(BatchFixture fixture)
            throws SQLException
    {
        for (Map.Entry<String, String> rollup : Map.of("lambda.speed_hourly", "hour", "lambda.speed_daily", "day").entrySet()) {
            fixture.execute("DELETE FROM " + rollup.getKey());
            fixture.execute("INSERT INTO " + rollup.getKey() + " (symbol, bucket, " + AggregateColumns.sql(AggregateColumns.PARTIAL) + ")"
                    + " SELECT * FROM lambda.speed_minutes_rolled_up('" + rollup.getValue() + "', (SELECT cutoff_ts FROM lambda.cutoff), 'infinity')");
        }
        fixture.execute("SELECT lambda.refresh_symbol_summaries(NULL)");
    }
}
