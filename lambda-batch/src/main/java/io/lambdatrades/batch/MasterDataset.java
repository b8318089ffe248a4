package io.lambdatrades.batch;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The immutable master dataset: Hive table {@code lambda.trades_raw}, Avro files partitioned by UTC
 * trade date, every trade once with its Kafka partition and offset. Only the absorb adds to it; the
 * table is external, so dropping it in SQL never deletes a trade.
 */
public final class MasterDataset
{
    public static final String TABLE = "lambda.trades_raw";
    public static final String PARTITION_COLUMN = "trade_date";
    /** The columns of the files; {@code trade_date} is in the directory names. */
    public static final StructType FILE_SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("symbol", DataTypes.StringType, false),
            DataTypes.createStructField("price", DataTypes.DoubleType, false),
            DataTypes.createStructField("volume", DataTypes.DoubleType, false),
            DataTypes.createStructField("ts", DataTypes.LongType, false),
            DataTypes.createStructField("conditions", DataTypes.createArrayType(DataTypes.StringType, false), false),
            DataTypes.createStructField("source", DataTypes.StringType, false),
            DataTypes.createStructField("ingest_ts", DataTypes.LongType, false),
            DataTypes.createStructField("kafka_partition", DataTypes.IntegerType, false),
            DataTypes.createStructField("kafka_offset", DataTypes.LongType, false)});
    public static final StructType ROW_SCHEMA = FILE_SCHEMA.add(DataTypes.createStructField(PARTITION_COLUMN, DataTypes.StringType, false));

    private final SparkSession spark;
    private final String location;

    private MasterDataset(SparkSession spark, String location)
    {
        this.spark = spark;
        this.location = location;
    }

    /** Creates the database and the table where they do not exist yet. */
    public static MasterDataset ensure(SparkSession spark, String warehouseDir)
    {
        requireNonNull(spark, "spark is null");
        String databaseLocation = stripSlash(warehouseDir) + "/lambda.db";
        if (!spark.catalog().databaseExists("lambda")) {
            spark.sql("CREATE DATABASE IF NOT EXISTS lambda LOCATION '" + databaseLocation + "'");
        }
        spark.sql("""
                CREATE EXTERNAL TABLE IF NOT EXISTS lambda.trades_raw (
                    symbol STRING, price DOUBLE, volume DOUBLE, ts BIGINT, conditions ARRAY<STRING>, source STRING,
                    ingest_ts BIGINT, kafka_partition INT, kafka_offset BIGINT)
                COMMENT 'Every trade once: the master dataset of the batch layer (ts and ingest_ts in epoch ms, UTC)'
                PARTITIONED BY (trade_date STRING)
                STORED AS AVRO
                LOCATION '%s/trades_raw'""".formatted(databaseLocation));
        // An external metastore may hold the table somewhere else: its own record wins.
        String location = spark.sql("DESCRIBE TABLE EXTENDED " + TABLE).collectAsList().stream()
                .filter(row -> "Location".equals(row.getString(0)))
                .map(row -> row.getString(1))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the metastore gives no location for " + TABLE));
        return new MasterDataset(spark, stripSlash(location));
    }

    public String location()
    {
        return location;
    }

    public String partitionLocation(String tradeDate)
    {
        return location + "/" + PARTITION_COLUMN + "=" + tradeDate;
    }

    /** Makes partitions whose files were moved into place known to the metastore; idempotent. */
    public void registerPartitions(Collection<String> tradeDates)
    {
        if (tradeDates.isEmpty()) {
            return;
        }
        String partitions = tradeDates.stream().sorted()
                .map(date -> "PARTITION (" + PARTITION_COLUMN + "='" + date + "')")
                .collect(Collectors.joining(" "));
        spark.sql("ALTER TABLE " + TABLE + " ADD IF NOT EXISTS " + partitions);
    }

    public SortedSet<String> tradeDates()
    {
        List<Row> rows = spark.sql("SHOW PARTITIONS " + TABLE).collectAsList();
        SortedSet<String> dates = new TreeSet<>();
        for (Row row : rows) {
            dates.add(row.getString(0).substring(PARTITION_COLUMN.length() + 1));
        }
        return dates;
    }

    /** The trades of some dates, read with Spark's own Avro reader (faster than the Hive SerDe), with their {@code trade_date}. */
    public Dataset<Row> read(Collection<String> tradeDates)
    {
        if (tradeDates.isEmpty()) {
            return spark.createDataFrame(List.of(), ROW_SCHEMA);
        }
        String[] paths = tradeDates.stream().sorted().map(this::partitionLocation).toArray(String[]::new);
        return spark.read().format("avro").schema(ROW_SCHEMA).option("basePath", location).load(paths);
    }

    private static String stripSlash(String location)
    {
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }
}
