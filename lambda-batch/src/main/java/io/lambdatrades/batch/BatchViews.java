package io.lambdatrades.batch;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.time.Instant;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

/**
 * The batch views of SPEC 3 as Spark plans. Minute aggregates come from the trades; hours and days
 * are merged from the minutes (the aggregates are mergeable), which reads the trades once. Open and
 * close are the prices of the first and last trade by (ts, partition, offset): the minimum and
 * maximum of a struct in that order.
 */
public final class BatchViews
{
    private static final long MINUTE_MS = 60_000L;

    private BatchViews() {}

    /** @param trades master dataset rows; only those with ts before the cutoff count */
    public static Dataset<Row> minute(Dataset<Row> trades, Instant cutoff)
    {
        Dataset<Row> minutes = trades
                .where(col("ts").lt(lit(cutoff.toEpochMilli())))
                .withColumn("bucket_ms", col("ts").minus(expr("pmod(ts, " + MINUTE_MS + ")")))
                .groupBy(col("symbol"), col("bucket_ms"))
                .agg(
                        min(struct(col("ts"), col("kafka_partition"), col("kafka_offset"), col("price"))).as("first"),
                        max(struct(col("ts"), col("kafka_partition"), col("kafka_offset"), col("price"))).as("last"),
                        max("price").as("high"),
                        min("price").as("low"),
                        sum("volume").as("volume"),
                        count(lit(1)).as("trades"),
                        sum(col("price").multiply(col("volume"))).as("notional"));
        return finish(minutes.withColumn("bucket", timestamp_millis(col("bucket_ms"))).drop("bucket_ms"));
    }

    public static Dataset<Row> hourly(Dataset<Row> minute)
    {
        return rollUp(minute, expr("date_trunc('HOUR', bucket)"));
    }

    public static Dataset<Row> daily(Dataset<Row> minute)
    {
        Dataset<Row> days = rollUp(minute, expr("date_trunc('DAY', bucket)"));
        return days.withColumn("date", to_date(col("bucket")));
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

    private static Dataset<Row> rollUp(Dataset<Row> minute, Column bucket)
    {
        Dataset<Row> merged = minute
                .withColumn("rolled", bucket)
                .groupBy(col("symbol"), col("rolled"))
                .agg(
                        min(struct(expr("unix_millis(first_ts)").as("ts"), col("first_partition").as("kafka_partition"), col("first_offset").as("kafka_offset"), col("open").as("price"))).as("first"),
                        max(struct(expr("unix_millis(last_ts)").as("ts"), col("last_partition").as("kafka_partition"), col("last_offset").as("kafka_offset"), col("close").as("price"))).as("last"),
                        max("high").as("high"),
                        min("low").as("low"),
                        sum("volume").as("volume"),
                        sum("trades").as("trades"),
                        sum("notional").as("notional"));
        return finish(merged.withColumnRenamed("rolled", "bucket"));
    }

    /** Flattens first/last into open/close and their keys, adds the derived columns, in the published column order. */
    private static Dataset<Row> finish(Dataset<Row> aggregates)
    {
        Column colon = expr("instr(symbol, ':')");
        return aggregates.select(
                col("symbol"),
                when(colon.equalTo(0), lit("")).otherwise(expr("substring(symbol, 1, instr(symbol, ':') - 1)")).as("exchange"),
                when(colon.equalTo(0), col("symbol")).otherwise(expr("substring(symbol, instr(symbol, ':') + 1)")).as("instrument"),
                col("bucket"),
                col("first.price").as("open"),
                col("high"),
                col("low"),
                col("last.price").as("close"),
                col("volume"),
                col("trades"),
                col("notional"),
                when(col("volume").equalTo(0), lit(null)).otherwise(col("notional").divide(col("volume"))).as("vwap"),
                timestamp_millis(col("first.ts")).as("first_ts"),
                col("first.kafka_partition").as("first_partition"),
                col("first.kafka_offset").as("first_offset"),
                timestamp_millis(col("last.ts")).as("last_ts"),
                col("last.kafka_partition").as("last_partition"),
                col("last.kafka_offset").as("last_offset"),
                date_format(col("bucket"), "yyyy-MM-dd").as("trade_date"));
    }
}
