package io.lambdatrades.batch;

import org.apache.spark.sql.Row;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The recomputed views as the publish reads them: the Parquet views of a batch run ({@link ViewStore}),
 * or rows given directly, so that whoever needs the views in PostgreSQL goes through the one publish.
 */
public interface ViewRows
{
    /** The view's rows of those dates, with exactly these columns, in this order. */
    Iterator<Row> rows(ViewStore.View view, Set<String> tradeDates, List<String> columns);
}
