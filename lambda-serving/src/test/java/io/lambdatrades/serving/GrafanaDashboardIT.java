package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every panel of deploy/grafana's dashboard runs, as Grafana would send it, against the serving views as lambda_reader. */
@ExtendWith(SharedPostgres.class)
class GrafanaDashboardIT
{
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\((\\w+)\\)");

    @Test
    void everyPanelsQueryRunsAsTheReaderAndReturnsRows(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "grafana");
        ServingData data = new ServingData(database);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<SentTrade> trades = new ArrayList<>();
        for (int i = 0; i < 3 * 24 * 6; i++) {
            long ts = today.minus(Duration.ofDays(2)).toEpochMilli() + i * 600_000L;
            trades.add(new SentTrade(new Trade("AAPL", 200 + i % 13, 5, ts, List.of(), "simulate", ts), 0, i));
        }
        data.speed(trades.stream().filter(sent -> sent.trade().ts() < System.currentTimeMillis()).toList());
        data.publish(trades, today);
        ReaderRole.apply(database, "grafana-reader");

        JsonNode dashboard = new ObjectMapper().readTree(Path.of(System.getProperty("lambda.home", "..")).resolve("deploy/grafana/dashboards/lambda-trades.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.at("/templating/list").forEach(variable -> queries.add(variable.at("/query").asText()));
        dashboard.at("/panels").forEach(panel -> panel.at("/targets").forEach(target -> queries.add(target.at("/rawSql").asText())));
        assertThat(queries).hasSize(6);

        Properties reader = new Properties();
        reader.setProperty("user", ReaderRole.NAME);
        reader.setProperty("password", "grafana-reader");
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), reader); Statement statement = connection.createStatement()) {
            for (String query : queries) {
                String sql = grafanaMacros(query);
                try (ResultSet rows = statement.executeQuery(sql)) {
                    assertThat(rows.next()).as(sql).isTrue();
                }
            }
        }
    }

    /** What Grafana's PostgreSQL datasource makes of its macros for "the last 3 days", and the variable set to AAPL. */
    private static String grafanaMacros(String query)
    {
        Matcher filter = TIME_FILTER.matcher(query.replace("$symbol", "AAPL"));
        return filter.replaceAll("$1 BETWEEN now() - interval '3 days' AND now()");
    }
}
