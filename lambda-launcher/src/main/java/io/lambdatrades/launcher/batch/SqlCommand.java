package io.lambdatrades.launcher.batch;

import io.lambdatrades.batch.HiveSessions;
import io.lambdatrades.common.config.LambdaConfig;
import io.lambdatrades.launcher.CommonOptions;
import io.lambdatrades.launcher.Logging;
import io.lambdatrades.launcher.status.RunningServices;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run Spark SQL over the metastore (lambda.trades_raw, the master dataset; lambda.minute, lambda.hourly, lambda.daily, lambda.exchange_daily, the views) and print the result as a table, numbers in plain decimals.")
public final class SqlCommand
        implements Callable<Integer>
{
    @Mixin
    CommonOptions common;

    @Parameters(paramLabel = "QUERY", description = "One SQL statement, e.g. \"SELECT trade_date, count(*) FROM lambda.trades_raw GROUP BY trade_date\"")
    String query;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Rows printed at most (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call()
            throws Exception
    {
        LambdaConfig config = common.load(Map.of());
        Logging.configure(config.dataDir().resolve("logs"), "sql", common.verbose);
        if (limit < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--limit must be at least 1");
        }
        try (MetastoreAccess metastore = MetastoreAccess.open(config, RunningServices.find(config))) {
            long starting = System.nanoTime();
            SparkSession spark = HiveSessions.create("lambda-sql", config.batch(), metastore.jdbcUrl());
            System.out.printf(Locale.ROOT, "lambda sql: Spark session started in %.1f s%n", (System.nanoTime() - starting) / 1e9);
            try {
                long querying = System.nanoTime();
                Dataset<Row> result = spark.sql(query);
                System.out.print(ResultTable.of(result, limit).render());
                System.out.printf(Locale.ROOT, "lambda sql: query ran in %.1f s%n", (System.nanoTime() - querying) / 1e9);
            }
            finally {
                spark.stop();
            }
        }
        return 0;
    }
}
