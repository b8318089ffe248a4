package io.lambdatrades.batch.audit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

/**
 * SPEC 3's aggregates computed straight from trades, written here on purpose apart from the batch
 * views' code: the audit must not share a mistake with what it checks.
 */
final class TradeAggregates
{
    private TradeAggregates() {}

    /** @param trades rows with symbol, price, volume, ts, kafka_partition and kafka_offset */
    static List<BucketAggregate> of(Dataset<Row> trades, List<Grain> grains)
    {
        Column order = struct(col("ts"), col("kafka_partition"), col("kafka_offset"));
        List<BucketAggregate> aggregates = new ArrayList<>();
        for (Grain grain : grains) {
            List<Row> rows = trades
                    .groupBy(col("symbol"), floor(col("ts").divide(lit(grain.millis()))).multiply(lit(grain.millis())).cast("long").as("bucket"))
                    .agg(min_by(col("price"), order), max(col("price")), min(col("price")), max_by(col("price"), order), sum(col("volume")),
                            count(lit(1)), sum(col("price").multiply(col("volume"))))
                    .collectAsList();
            for (Row row : rows) {
                aggregates.add(new BucketAggregate(grain, row.getString(0), row.getLong(1), row.getDouble(2), row.getDouble(3), row.getDouble(4),
                        row.getDouble(5), row.getDouble(6), row.getLong(7), row.getDouble(8)));
            }
        }
        return aggregates;
    }
}
