package io.lambdatrades.batch.audit;

import io.lambdatrades.batch.MasterDataset;
import io.lambdatrades.batch.OffsetCoverage;
import io.lambdatrades.batch.TopicOffsets;
import io.lambdatrades.batch.TradeRowDecoder;
import io.lambdatrades.common.PostgresConnection;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.lit;

/**
 * {@code lambda audit}: recomputes the aggregates straight from the trades (the master dataset, and
 * Kafka for what it has not absorbed yet) and compares them with what the serving views answer. It
 * expects every trade up to Kafka's end offsets: what the speed layer has not written yet is lag,
 * waited for and then reported apart, so a stalled speed layer or a partition it never recorded
 * fails the audit. Auditing every day also checks the master dataset against the absorb ledger,
 * offset by offset, and the API's symbol list ({@code symbol_summaries}) symbol by symbol. The caller keeps batch runs out meanwhile (the pipeline lock).
 */
public final class ServingAudit
{
    private static final Duration SPEED_POLL = Duration.ofMillis(500);

    private final SparkSession spark;
    private final MasterDataset master;
    private final PostgresConnection postgres;
    private final String bootstrapServers;
    private final String topic;
    private final Function<AuditScope, Collection<String>> masterDates;

    /** @param masterDates the master dataset's dates in a scope (those the absorb ledger has installed) */
    public ServingAudit(SparkSession spark, MasterDataset master, PostgresConnection postgres, String bootstrapServers, String topic,
            Function<AuditScope, Collection<String>> masterDates)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.master = requireNonNull(master, "master is null");
        this.postgres = requireNonNull(postgres, "postgres is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.masterDates = requireNonNull(masterDates, "masterDates is null");
    }

    /** @param waitForSpeed how long to wait for the speed layer to write what Kafka held when the audit began */
    public AuditReport run(AuditScope scope, Duration waitForSpeed)
            throws SQLException, InterruptedException
    {
        // The audit's horizon: Kafka's end offsets now. Trades produced later are for the next audit.
        TopicOffsets horizon = TopicOffsets.read(bootstrapServers, topic);
        awaitSpeedLayer(horizon, waitForSpeed);
        ServingSnapshot snapshot = ServingSnapshot.read(postgres, topic, scope);
        TopicOffsets kafka = TopicOffsets.read(bootstrapServers, topic);
        Dataset<Row> stored = master.read(masterDates.apply(scope)).withColumn(TradePass.FROM_MASTER, lit(true));
        Dataset<Row> trades = stored.select(TradePass.COLUMNS).unionByName(unabsorbed(snapshot, kafka.end()).withColumn(TradePass.FROM_MASTER, lit(false))
                .select(TradePass.COLUMNS));
        if (!scope.everyDayWithData()) {
            // One day's audit has no ledger check: a trade held twice, or absorbed by a run that never
            // committed and read again from Kafka, counts once in the truth the views must equal.
            // Every day's needs no such shuffle of every row: the two paths are disjoint by the absorbed
            // offsets, and the ledger check fails the audit on any offset held twice or past them.
            trades = trades.dropDuplicates("kafka_partition", "kafka_offset");
        }
        OffsetCoverage masterOffsets = registered("audit-master-offsets");
        LongAccumulator masterRows = spark.sparkContext().longAccumulator("audit-master-rows");
        TradeBuckets fromTrades = trades.javaRDD()
                .mapPartitions(new TradePass(scope, snapshot.cutoff(), snapshot.speedOffsets(), masterOffsets, masterRows))
                .collect().stream()
                .reduce(new TradeBuckets(scope.grains()), TradeBuckets::merge);
        Optional<LedgerCheck> ledger = Optional.empty();
        if (scope.everyDayWithData()) {
            ledger = Optional.of(LedgerCheck.of(masterOffsets, masterRows.value(), stored.select("kafka_partition", "kafka_offset"), snapshot.absorbedOffsets(),
                    snapshot.lost(), snapshot.undecodable()));
        }
        return AuditReport.compare(scope, snapshot, fromTrades.aggregates(), scope.coversSymbolList() ? fromTrades.symbolFigures() : List.of(),
                lag(horizon, snapshot.speedOffsets()), ledger);
    }

    /** Polls until the speed layer has written up to the horizon, or the time is up. */
    private void awaitSpeedLayer(TopicOffsets horizon, Duration wait)
            throws SQLException, InterruptedException
    {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!lag(horizon, ServingSnapshot.speedOffsets(postgres)).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(SPEED_POLL.toMillis());
        }
    }

    /** Per partition, the trades below the horizon that the speed layer has not written. */
    private static Map<Integer, Long> lag(TopicOffsets horizon, Map<Integer, Long> speedOffsets)
    {
        Map<Integer, Long> lag = new TreeMap<>();
        horizon.end().forEach((partition, end) -> {
            long written = Math.max(horizon.beginning().get(partition), speedOffsets.getOrDefault(partition, 0L));
            if (end > written) {
                lag.put(partition, end - written);
            }
        });
        return lag;
    }

    /** Kafka's records past the absorbed offsets, as far as the speed layer has written them and Kafka holds them. */
    private Dataset<Row> unabsorbed(ServingSnapshot snapshot, Map<Integer, Long> kafkaEnd)
    {
        Map<Integer, Long> start = new TreeMap<>();
        Map<Integer, Long> end = new TreeMap<>();
        snapshot.speedOffsets().forEach((partition, claimed) -> {
            // -2: the partition's earliest offset, for a partition the master dataset has never absorbed.
            long absorbed = snapshot.absorbedOffsets().getOrDefault(partition, -2L);
            long written = Math.min(claimed, kafkaEnd.getOrDefault(partition, 0L));
            if (written > Math.max(absorbed, 0)) {
                start.put(partition, absorbed);
                end.put(partition, written);
            }
        });
        if (start.isEmpty()) {
            return spark.createDataFrame(List.of(), MasterDataset.ROW_SCHEMA);
        }
        return spark.read()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("assign", start.keySet().stream().map(String::valueOf).collect(Collectors.joining(",", "{\"" + json(topic) + "\":[", "]}")))
                .option("startingOffsets", TopicOffsets.sparkJson(topic, start))
                .option("endingOffsets", TopicOffsets.sparkJson(topic, end))
                .option("failOnDataLoss", "false")
                .load()
                .select("value", "partition", "offset")
                // Undecodable records are in neither path (the speed layer sends them to the dead-letter topic).
                .mapPartitions(new TradeRowDecoder(registered("audit-read"), registered("audit-undecodable")), Encoders.row(MasterDataset.ROW_SCHEMA));
    }

    private OffsetCoverage registered(String name)
    {
        OffsetCoverage coverage = new OffsetCoverage();
        spark.sparkContext().register(coverage, name);
        return coverage;
    }

    private static String json(String text)
    {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
