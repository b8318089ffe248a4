package io.lambdatrades.batch;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Appends to the master dataset the trades of Kafka from the last absorbed offsets to the end
 * offsets seen when the run starts, exactly once: files are staged outside the table, committed in
 * the {@link AbsorbLedger} with the offsets they cover, and only then moved into the table. Each run
 * first finishes what a crashed run committed and discards what it did not.
 */
public final class Absorber
{
    private static final Logger log = LoggerFactory.getLogger(Absorber.class);

    private final SparkSession spark;
    private final MasterDataset master;
    private final AbsorbLedger ledger;
    private final String bootstrapServers;
    private final String topic;
    private final BatchProgress progress;

    public Absorber(SparkSession spark, MasterDataset master, AbsorbLedger ledger, String bootstrapServers, String topic, BatchProgress progress)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.master = requireNonNull(master, "master is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    public AbsorbResult run()
            throws SQLException, IOException
    {
        int recovered = installPending();
        discardUncommittedStaging();
        if (recovered > 0) {
            progress.step(BatchProgress.Step.ABSORB_RECOVERED, recovered + " absorb(s) committed by an earlier run moved into the table");
        }

        return absorb(AbsorbBacklog.read(ledger, bootstrapServers, topic));
    }

    /**
     * Reads the backlog's offsets into the master dataset. What Kafka deleted after the backlog was
     * read (retention runs every few minutes) is missing from what Spark read: it is recorded as a
     * loss with its exact offsets, never counted as absorbed.
     */
    AbsorbResult absorb(AbsorbBacklog backlog)
            throws SQLException, IOException
    {
        TopicOffsets offsets = backlog.offsets();
        if (!BatchViews.canOrder(offsets.end())) {
            throw new IllegalStateException("topic " + topic + " has a partition >= 1024 or an offset >= 2^37, beyond what the batch views can order");
        }
        backlog.expired().forEach(gone -> log.warn("Partition {} of {}: offsets {} to {} expired from Kafka before they were absorbed",
                gone.partition(), topic, gone.first(), gone.last()));
        Map<Integer, Long> start = backlog.start();
        if (backlog.records() <= 0) {
            progress.step(BatchProgress.Step.ABSORB_DONE, "no new records in " + topic);
            return AbsorbResult.nothing(backlog.expired());
        }

        String stagingDir = stagingRoot() + "/" + UUID.randomUUID();
        OffsetCoverage read = register(new OffsetCoverage(), "absorb-read");
        OffsetCoverage undecodable = register(new OffsetCoverage(), "absorb-undecodable");
        Dataset<Row> trades = spark.read()
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrapServers)
                .option("subscribe", topic)
                .option("startingOffsets", TopicOffsets.sparkJson(topic, start))
                .option("endingOffsets", TopicOffsets.sparkJson(topic, offsets.end()))
                // Deleted records are skipped, not fatal: the coverage below finds them and records the loss.
                .option("failOnDataLoss", "false")
                .load()
                .select("value", "partition", "offset")
                .mapPartitions(new TradeRowDecoder(read, undecodable), Encoders.row(MasterDataset.ROW_SCHEMA));
        trades.write().format("avro").partitionBy(MasterDataset.PARTITION_COLUMN).save(stagingDir);

        List<AbsorbBacklog.ExpiredOffsets> vanished = vanished(read, start, offsets.end());
        vanished.forEach(gone -> log.warn("Partition {} of {}: offsets {} to {} were deleted from Kafka while the absorb read them",
                gone.partition(), topic, gone.first(), gone.last()));
        List<AbsorbBacklog.ExpiredOffsets> lost = new ArrayList<>(backlog.expired());
        lost.addAll(vanished);

        List<AbsorbLedger.StagedFile> files = stagedFiles(stagingDir);
        Set<String> dates = new TreeSet<>();
        files.forEach(file -> dates.add(file.tradeDate()));
        // What was staged, offset by offset: every record read but those that did not decode.
        long absorbed = read.count() - undecodable.count();
        progress.step(BatchProgress.Step.ABSORB_STAGED, String.format(Locale.ROOT, "%,d trades staged in %d file(s) for %d date(s)", absorbed, files.size(), dates.size()));

        long absorbId = ledger.commit(new AbsorbLedger.Absorb(topic, stagingDir, absorbed, files, offsets.end(), dates, vanished, undecodable.value()));
        progress.step(BatchProgress.Step.ABSORB_COMMITTED, "absorb " + absorbId + " committed");
        installPending();
        if (undecodable.count() > 0) {
            log.warn("{} records of {} did not decode and are not in the master dataset (the speed layer sends them to the dead-letter topic)", undecodable.count(), topic);
        }
        progress.step(BatchProgress.Step.ABSORB_DONE, String.format(Locale.ROOT, "%,d trades absorbed into %s (%s)", absorbed, MasterDataset.TABLE, String.join(", ", dates)));
        return new AbsorbResult(absorbed, undecodable.count(), dates, lost);
    }

    private List<AbsorbBacklog.ExpiredOffsets> vanished(OffsetCoverage read, Map<Integer, Long> start, Map<Integer, Long> end)
    {
        List<AbsorbBacklog.ExpiredOffsets> vanished = new ArrayList<>();
        new TreeMap<>(end).forEach((partition, last) -> read.missing(partition, start.get(partition), last)
                .forEach(range -> vanished.add(new AbsorbBacklog.ExpiredOffsets(topic, partition, range.first(), range.end() - 1))));
        return vanished;
    }

    private OffsetCoverage register(OffsetCoverage coverage, String name)
    {
        spark.sparkContext().register(coverage, name);
        return coverage;
    }

    /** Moves the files of every committed but unfinished absorb into the table; safe to repeat after a crash at any point. */
    private int installPending()
            throws SQLException, IOException
    {
        List<AbsorbLedger.PendingInstall> pending = ledger.pendingInstalls();
        for (AbsorbLedger.PendingInstall install : pending) {
            Set<String> dates = new TreeSet<>();
            for (AbsorbLedger.StagedFile file : install.files()) {
                move(new Path(file.stagedPath()), new Path(file.finalPath()));
                dates.add(file.tradeDate());
            }
            master.registerPartitions(dates);
            ledger.markInstalled(install.absorbId());
            Path stagingDir = new Path(install.stagingDir());
            stagingDir.getFileSystem(hadoop()).delete(stagingDir, true);
        }
        return pending.size();
    }

    private void move(Path staged, Path target)
            throws IOException
    {
        FileSystem fs = target.getFileSystem(hadoop());
        boolean stagedExists = fs.exists(staged);
        if (!stagedExists) {
            if (!fs.exists(target)) {
                throw new IOException("committed file " + staged + " is neither staged nor in the table");
            }
            return;
        }
        if (fs.exists(target)) {
            // A move interrupted half way (object stores copy): the staged file is the complete one.
            fs.delete(target, false);
        }
        fs.mkdirs(target.getParent());
        if (!fs.rename(staged, target)) {
            throw new IOException("cannot move " + staged + " to " + target);
        }
    }

    /** Staging directories no commit names are what a crashed run left before its commit: their trades are read again. */
    private void discardUncommittedStaging()
            throws IOException
    {
        Path root = new Path(stagingRoot());
        FileSystem fs = root.getFileSystem(hadoop());
        if (fs.exists(root)) {
            for (var status : fs.listStatus(root)) {
                fs.delete(status.getPath(), true);
            }
        }
    }

    private List<AbsorbLedger.StagedFile> stagedFiles(String stagingDir)
            throws IOException
    {
        Path root = new Path(stagingDir);
        String attempt = root.getName();
        List<AbsorbLedger.StagedFile> files = new ArrayList<>();
        RemoteIterator<LocatedFileStatus> listing = root.getFileSystem(hadoop()).listFiles(root, true);
        while (listing.hasNext()) {
            Path path = listing.next().getPath();
            String partition = path.getParent().getName();
            if (path.getName().endsWith(".avro") && partition.startsWith(MasterDataset.PARTITION_COLUMN + "=")) {
                String date = partition.substring(MasterDataset.PARTITION_COLUMN.length() + 1);
                files.add(new AbsorbLedger.StagedFile(path.toString(), master.partitionLocation(date) + "/" + attempt + "-" + path.getName(), date));
            }
        }
        return files;
    }

    private String stagingRoot()
    {
        return new Path(master.location()).getParent() + "/_trades_raw_staging";
    }

    private Configuration hadoop()
    {
        return spark.sparkContext().hadoopConfiguration();
    }

    /**
     * @param tradeDates the UTC dates the new trades fall on
     * @param expired offsets Kafka deleted before they were absorbed, before or while the absorb read them
     */
    public record AbsorbResult(long trades, long undecodable, Set<String> tradeDates, List<AbsorbBacklog.ExpiredOffsets> expired)
    {
        public AbsorbResult
        {
            tradeDates = Set.copyOf(tradeDates);
            expired = List.copyOf(expired);
        }

        static AbsorbResult nothing(List<AbsorbBacklog.ExpiredOffsets> expired)
        {
            return new AbsorbResult(0, 0, Set.of(), expired);
        }
    }
}
