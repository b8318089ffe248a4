package io.lambdatrades.launcher.batch;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * A query's result as the table {@code lambda sql} prints, laid out as Spark's {@code show} does, but
 * with every number in plain decimals: 15398830 and 267.2, never 1.539883E7. Spark's own text for
 * everything else (timestamps, arrays, NULL).
 */
public final class ResultTable
{
    private final List<String> header;
    private final List<List<String>> rows;
    private final boolean more;

    private ResultTable(List<String> header, List<List<String>> rows, boolean more)
    {
        this.header = List.copyOf(header);
        this.rows = List.copyOf(rows);
        this.more = more;
    }

    /** The first {@code limit} rows of the result. */
    static ResultTable of(Dataset<Row> result, int limit)
    {
        StructField[] fields = result.schema().fields();
        // Doubles come back as Java doubles, formatted here; the rest as Spark prints it.
        Column[] columns = Arrays.stream(fields)
                .map(field -> isFloating(field) ? col("`" + field.name() + "`") : col("`" + field.name() + "`").cast(DataTypes.StringType))
                .toArray(Column[]::new);
        List<Row> collected = result.select(columns).limit(limit + 1).collectAsList();
        List<List<String>> rows = new ArrayList<>();
        for (Row row : collected.subList(0, Math.min(limit, collected.size()))) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < fields.length; i++) {
                cells.add(cell(row.get(i)));
            }
            rows.add(cells);
        }
        return new ResultTable(Arrays.stream(fields).map(StructField::name).toList(), rows, collected.size() > limit);
    }

    static String cell(Object value)
    {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            // The shortest text that reads back as the same double, without an exponent.
            return Double.isFinite(number) ? new BigDecimal(value.toString()).stripTrailingZeros().toPlainString() : value.toString();
        }
        return value.toString();
    }

    /** Spark's layout (as {@code show(n, false)}): a border, the header, a border, the rows, a border. */
    String render()
    {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(3, header.get(i).length());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder border = new StringBuilder("+");
        for (int width : widths) {
            border.append("-".repeat(width)).append('+');
        }
        StringBuilder table = new StringBuilder().append(border).append('\n');
        line(table, header, widths);
        table.append(border).append('\n');
        rows.forEach(row -> line(table, row, widths));
        table.append(border).append('\n');
        if (more) {
            table.append("only showing top ").append(rows.size()).append(rows.size() == 1 ? " row" : " rows").append('\n');
        }
        return table.toString();
    }

    private static void line(StringBuilder table, List<String> cells, int[] widths)
    {
        table.append('|');
        for (int i = 0; i < widths.length; i++) {
            table.append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length())).append('|');
        }
        table.append('\n');
    }

    private static boolean isFloating(StructField field)
    {
        return field.dataType().equals(DataTypes.DoubleType) || field.dataType().equals(DataTypes.FloatType);
    }
}
