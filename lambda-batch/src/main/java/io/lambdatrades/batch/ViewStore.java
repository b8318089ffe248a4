package io.lambdatrades.batch;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;

/**
 * The batch views as Parquet, one file per view and trade date:
 * {@code <views>/<view>/trade_date=YYYY-MM-DD/part-00000.parquet}. A recomputed date is written
 * aside, then moved over the old file in one rename, so a reader sees the old file or the new one.
 */
public final class ViewStore
        implements ViewRows
{
    public static final String FILE_NAME = "part-00000.parquet";

    private final SparkSession spark;
    private final String root;

    public ViewStore(SparkSession spark, String viewsDir)
    {
        this.spark = requireNonNull(spark, "spark is null");
        this.root = requireNonNull(viewsDir, "viewsDir is null").replaceAll("/+$", "");
    }

    public enum View
    {
        MINUTE, HOURLY, DAILY, EXCHANGE_DAILY;

        public String directory()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Writes each view's rows (with a {@code trade_date} column) and swaps every date it holds into
     * place. The views are written at once, as concurrent Spark jobs: each is small next to the
     * fixed cost of a job, which they then share.
     */
    public void write(Map<View, Dataset<Row>> views)
            throws IOException, InterruptedException
    {
        Path staging = new Path(root + "/_staging/" + UUID.randomUUID());
        FileSystem fs = staging.getFileSystem(hadoop());
        ExecutorService writers = Executors.newFixedThreadPool(views.size());
        try {
            List<Future<?>> written = new ArrayList<>();
            for (Map.Entry<View, Dataset<Row>> view : views.entrySet()) {
                written.add(writers.submit(() -> {
                    Path viewStaging = new Path(staging, view.getKey().directory());
                    // One task per date, so one file per date.
                    view.getValue().repartition(col("trade_date")).write().partitionBy("trade_date").parquet(viewStaging.toString());
                    install(fs, viewStaging, view.getKey());
                    return null;
                }));
            }
            for (Future<?> view : written) {
                try {
                    view.get();
                }
                catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
                }
            }
            for (View view : views.keySet()) {
                register(view);
            }
        }
        finally {
            writers.shutdownNow();
            fs.delete(staging, true);
        }
    }

    private void install(FileSystem fs, Path viewStaging, View view)
            throws IOException
    {
        if (!fs.exists(viewStaging)) {
            return;
        }
        for (FileStatus partition : fs.listStatus(viewStaging, path -> path.getName().startsWith("trade_date="))) {
            FileStatus[] files = fs.listStatus(partition.getPath(), path -> path.getName().endsWith(".parquet"));
            if (files.length != 1) {
                throw new IOException("expected one Parquet file in " + partition.getPath() + ", found " + files.length);
            }
            Path target = new Path(root + "/" + view.directory() + "/" + partition.getPath().getName() + "/" + FILE_NAME);
            replace(fs, files[0].getPath(), target);
        }
    }

    /**
     * The view as a table of the metastore too ({@code lambda.minute}, ...), for {@code lambda sql}.
     * Its partitions are the directories, found when a query runs: nothing to register per date.
     */
    private void register(View view)
    {
        String table = table(view);
        if (spark.catalog().tableExists(table)) {
            spark.catalog().refreshTable(table);
        }
        else {
            spark.sql("CREATE TABLE " + table + " USING parquet LOCATION '" + location(view) + "'");
        }
    }

    public static String table(View view)
    {
        return "lambda." + view.directory();
    }

    /** Atomic on a local disk and on HDFS; object stores (s3a) have no atomic rename and copy. */
    private void replace(FileSystem fs, Path source, Path target)
            throws IOException
    {
        fs.mkdirs(target.getParent());
        if ("file".equals(target.toUri().getScheme())) {
            Files.move(java.nio.file.Path.of(source.toUri()), java.nio.file.Path.of(target.toUri()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        else {
            FileContext.getFileContext(target.toUri(), hadoop()).rename(source, target, Options.Rename.OVERWRITE);
        }
    }

    /** The rows of some dates of a view, with their {@code trade_date}. */
    public Dataset<Row> read(View view, Collection<String> tradeDates)
    {
        String base = root + "/" + view.directory();
        String[] paths = tradeDates.stream().sorted().map(date -> base + "/trade_date=" + date + "/" + FILE_NAME).toArray(String[]::new);
        return spark.read().option("basePath", base).parquet(paths);
    }

    @Override
    public Iterator<Row> rows(View view, Set<String> tradeDates, List<String> columns)
    {
        return read(view, tradeDates).select(columns.stream().map(column -> col(column)).toArray(Column[]::new)).toLocalIterator();
    }

    public String location(View view)
    {
        return root + "/" + view.directory();
    }

    private Configuration hadoop()
    {
        return spark.sparkContext().hadoopConfiguration();
    }
}
