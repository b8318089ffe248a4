package io.lambdatrades.batch;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.Instant;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * The batch views of SPEC 3 as Spark plans. Minute aggregates come from the trades; hours and days
 * are merged from the minutes (the aggregates are mergeable), which reads the trades once. Open and
 * close are the prices of the first and last trade by (ts, partition, offset). Every aggregate is
 * over primitive columns, so Spark aggregates by hashing in compiled code instead of sorting.
 */
public final class BatchViews
{
    private static final long MINUTE_MS = 60_000L;
    private static final int PARTITION_BITS = 10;
    private static final int OFFSET_BITS = 37;
    private static final long PARTITION_MASK = (1L << PARTITION_BITS) - 1;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    private BatchViews() {}

    /**
     * @param trades master dataset rows; only those with ts before the cutoff count, and their Kafka
     * partitions and offsets must be {@linkplain #canOrder packable}
     */
    public static Dataset<Row> minute(Dataset<Row> trades, Instant cutoff)
    {
        // A trade's place in its minute, (ts, partition, offset), packed in one long: ms within the minute
        // (16 bits), partition (10 bits), offset (37 bits).
        Column order = expr("shiftleft(pmod(ts, " + MINUTE_MS + "), " + (PARTITION_BITS + OFFSET_BITS) + ")")
                .bitwiseOR(expr("shiftleft(cast(kafka_partition AS BIGINT), " + OFFSET_BITS + ")"))
                .bitwiseOR(col("kafka_offset"));
        Dataset<Row> minutes = trades
                .where(col("ts").lt(lit(cutoff.toEpochMilli())))
                .withColumn("bucket_ms", col("ts").minus(expr("pmod(ts, " + MINUTE_MS + ")")))
                .withColumn("order_key", order)
                .groupBy(col("symbol"), col("bucket_ms"))
                .agg(
                        min_by(col("price"), col("order_key")).as("open"),
                        min("order_key").as("first_key"),
                        max_by(col("price"), col("order_key")).as("close"),
                        max("order_key").as("last_key"),
                        max("price").as("high"),
                        min("price").as("low"),
                        sum("volume").as("volume"),
                        count(lit(1)).as("trades"),
                        sum(col("price").multiply(col("volume"))).as("notional"));
        return finish(minutes.select(
                col("symbol"),
                timestamp_millis(col("bucket_ms")).as("bucket"),
                col("open"), col("high"), col("low"), col("close"), col("volume"),
                col("trades"),
                col("notional"),
                timestamp_millis(col("bucket_ms").plus(expr("shiftright(first_key, " + (PARTITION_BITS + OFFSET_BITS) + ")"))).as("first_ts"),
                expr("cast(shiftright(first_key, " + OFFSET_BITS + ") & " + PARTITION_MASK + " AS INT)").as("first_partition"),
                col("first_key").bitwiseAND(lit(OFFSET_MASK)).as("first_offset"),
                timestamp_millis(col("bucket_ms").plus(expr("shiftright(last_key, " + (PARTITION_BITS + OFFSET_BITS) + ")"))).as("last_ts"),
                expr("cast(shiftright(last_key, " + OFFSET_BITS + ") & " + PARTITION_MASK + " AS INT)").as("last_partition"),
                col("last_key").bitwiseAND(lit(OFFSET_MASK)).as("last_offset")));
    }

    /** Whether trades from these Kafka partitions, below these end offsets, fit the minute view's order key. */
    public static boolean canOrder(Map<Integer, Long> endOffsets)
    {
        return endOffsets.entrySet().stream().allMatch(entry -> entry.getKey() <= PARTITION_MASK && entry.getValue() - 1 <= OFFSET_MASK);
    }

    public static Dataset<Row> hourly(Dataset<Row> minute)
    {
        return rollUp(minute, expr("date_trunc('HOUR', bucket)"));
    }

    public static Dataset<Row> daily(Dataset<Row> minute)
    {
        return rollUp(minute, expr("date_trunc('DAY', bucket)")).withColumn("date", to_date(col("bucket")));
    }

    /** The seed's own view: per exchange and day, volume, trade count, price range and symbols. */
    public static Dataset<Row> exchangeDaily(Dataset<Row> daily)
    {
        return daily.groupBy(col("exchange"), col("date"), col("trade_date"))
                .agg(
                        sum("volume").as("volume"),
                        sum("trades").as("trades"),
                        min("low").as("low"),
                        max("high").as("high"),
                        countDistinct(col("symbol")).as("symbols"));
    }

    /** Minutes of one bucket never share a trade time, so its earliest minute holds its first trade and its latest the last. */
    private static Dataset<Row> rollUp(Dataset<Row> minute, Column bucket)
    {
        Column minuteStart = col("bucket");
        Dataset<Row> merged = minute
                .groupBy(col("symbol"), bucket.as("rolled"))
                .agg(
                        min_by(col("open"), minuteStart).as("open"),
                        max("high").as("high"),
                        min("low").as("low"),
                        max_by(col("close"), minuteStart).as("close"),
                        sum("volume").as("volume"),
                        sum("trades").as("trades"),
                        sum("notional").as("notional"),
                        min("first_ts").as("first_ts"),
                        min_by(col("first_partition"), minuteStart).as("first_partition"),
                        min_by(col("first_offset"), minuteStart).as("first_offset"),
                        max("last_ts").as("last_ts"),
                        max_by(col("last_partition"), minuteStart).as("last_partition"),
                        max_by(col("last_offset"), minuteStart).as("last_offset"));
        return finish(merged.withColumnRenamed("rolled", "bucket"));
    }

    /** Adds the derived columns, in the published column order. */
    private static Dataset<Row> finish(Dataset<Row> aggregates)
    {
        Column colon = expr("instr(symbol, ':')");
        return aggregates.select(
                col("symbol"),
                when(colon.equalTo(0), lit("")).otherwise(expr("substring(symbol, 1, instr(symbol, ':') - 1)")).as("exchange"),
                when(colon.equalTo(0), col("symbol")).otherwise(expr("substring(symbol, instr(symbol, ':') + 1)")).as("instrument"),
                col("bucket"),
                col("open"),
                col("high"),
                col("low"),
                col("close"),
                col("volume"),
                col("trades"),
                col("notional"),
                when(col("volume").equalTo(0), lit(null)).otherwise(col("notional").divide(col("volume"))).as("vwap"),
                col("first_ts"),
                col("first_partition"),
                col("first_offset"),
                col("last_ts"),
                col("last_partition"),
                col("last_offset"),
                date_format(col("bucket"), "yyyy-MM-dd").as("trade_date"));
    }
}
