package io.lambdatrades.serving;

import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.Trade;
import io.lambdatrades.embedded.EmbeddedPostgresServer;
import io.lambdatrades.embedded.testing.ExpectedAggregates.SentTrade;
import io.lambdatrades.embedded.testing.SharedPostgres;
import io.lambdatrades.embedded.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The freshness's newest trade and late count over what the speed sink and the real publish leave: a late
 * trade (before the cutoff, past what the batch run absorbed) lives only in the minutes below the cutoff.
 */
@ExtendWith(SharedPostgres.class)
class FreshnessIT
{
    private static final Instant CUTOFF = Instant.parse("2026-11-26T00:00:00Z");
    private static final long DAY_BEFORE = CUTOFF.toEpochMilli() - 86_400_000L;

    @Test
    void aLateTradeIsTheNewestUntilATradeAfterTheCutoffCommits(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "serving_freshness");
        ServingQueries queries = queries(database);
        ServingData data = new ServingData(database);
        List<SentTrade> absorbed = List.of(trade(DAY_BEFORE + 1_000, 0), trade(DAY_BEFORE + 2_000, 1));
        data.speed(absorbed);
        data.publish(absorbed, CUTOFF);
        assertThat(queries.freshness().lastTradeMs()).as("after the publish, before any late trade").isEqualTo(DAY_BEFORE + 2_000);

        SentTrade late = trade(DAY_BEFORE + 3_000, 2);
        data.speed(List.of(late));
        Freshness withLate = queries.freshness();
        assertThat(withLate.lastTradeMs()).isEqualTo(late.trade().ts());
        assertThat(withLate.lateTrades()).isEqualTo(1);

        SentTrade after = trade(CUTOFF.toEpochMilli() + 1_000, 3);
        data.speed(List.of(after));
        Freshness withAfter = queries.freshness();
        assertThat(withAfter.lastTradeMs()).isEqualTo(after.trade().ts());
        assertThat(withAfter.lateTrades()).isEqualTo(1);
    }

    @Test
    void theSymbolListCarriesTheFreshnessOfItsOwnRead(EmbeddedPostgresServer postgres)
            throws Exception
    {
        PostgresConnection database = TestDatabases.fresh(postgres, "serving_symbol_list");
        ServingQueries queries = queries(database);
        SymbolList empty = queries.symbolList();
        assertThat(empty.symbols()).as("no trade yet").isEmpty();
        assertThat(empty.freshness().cutoffMs()).isEqualTo(queries.freshness().cutoffMs());
        assertThat(empty.freshness().lastTradeMs()).isNull();

        ServingData data = new ServingData(database);
        data.speed(List.of(trade(DAY_BEFORE + 1_000, 0)));
        data.publish(List.of(trade(DAY_BEFORE + 1_000, 0)), CUTOFF);
        SentTrade late = trade(DAY_BEFORE + 3_000, 1);
        data.speed(List.of(late));
        SymbolList list = queries.symbolList();
        // The late trade waits for the next batch run to enter the merged views; the freshness counts it.
        assertThat(list.symbols()).extracting(SymbolSummary::symbol, SymbolSummary::price).containsExactly(tuple("AAPL", 100.0));
        assertThat(list.freshness().cutoffMs()).isEqualTo(CUTOFF.toEpochMilli());
        assertThat(list.freshness().lastTradeMs()).isEqualTo(late.trade().ts());
        assertThat(list.freshness().lateTrades()).isEqualTo(1);
    }

    private static ServingQueries queries(PostgresConnection database)
    {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(database.jdbcUrl());
        source.setUser(database.user());
        source.setPassword(database.password());
        return new ServingQueries(source);
    }

    private static SentTrade trade(long ts, long offset)
    {
        return new SentTrade(new Trade("AAPL", 100 + offset, 1, ts, List.of(), "simulate", ts), 0, offset);
    }
}
