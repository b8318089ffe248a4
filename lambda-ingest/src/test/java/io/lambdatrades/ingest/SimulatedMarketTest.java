package io.lambdatrades.ingest;

import io.lambdatrades.common.Trade;
import io.lambdatrades.common.TradeValidator;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulatedMarketTest
{
    private static final long START = Instant.parse("2026-11-20T00:00:00Z").toEpochMilli();

    @Test
    void oneSeedGivesOneMarket()
    {
        assertThat(generate(7, 5_000)).isEqualTo(generate(7, 5_000));
        assertThat(generate(7, 5_000)).isNotEqualTo(generate(8, 5_000));
    }

    @Test
    void tradesComeInTimeOrderAtTheRequestedRate()
    {
        List<Trade> trades = generate(1, 50_000);

        assertThat(trades).isSortedAccordingTo((a, b) -> Long.compare(a.ts(), b.ts()));
        double seconds = (trades.get(trades.size() - 1).ts() - START) / 1000.0;
        assertThat(trades.size() / seconds).isCloseTo(1_000, within(100.0));
    }

    @Test
    void arrivalsAreBurstyWithSeveralTradesInOneMillisecond()
    {
        List<Trade> trades = generate(3, 20_000);
        Map<Long, Long> perMillisecond = trades.stream().collect(Collectors.groupingBy(Trade::ts, Collectors.counting()));

        assertThat(perMillisecond.values().stream().filter(count -> count >= 3).count()).isGreaterThan(500);
        assertThat(perMillisecond.values().stream().mapToLong(Long::longValue).max().orElseThrow()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyAssetClassTradesAtRealisticLevels()
    {
        List<Trade> trades = generate(5, 100_000);
        Map<String, List<Trade>> bySymbol = trades.stream().collect(Collectors.groupingBy(Trade::symbol));

        assertThat(bySymbol.keySet()).containsExactlyInAnyOrderElementsOf(SimulatedInstrument.DEFAULT_SYMBOLS);
        assertThat(bySymbol.get("OANDA:EUR_USD")).allSatisfy(trade -> {
            assertThat(trade.volume()).isZero();
            assertThat(trade.price()).isBetween(0.9, 1.3);
        });
        assertThat(bySymbol.get("BINANCE:BTCUSDT")).allSatisfy(trade -> {
            assertThat(trade.price()).isBetween(50_000.0, 90_000.0);
            assertThat(trade.volume()).isPositive().isLessThan(10);
            assertThat(trade.conditions()).isEmpty();
        });
        assertThat(bySymbol.get("AAPL")).allSatisfy(trade -> {
            assertThat(trade.price()).isBetween(150.0, 300.0);
            assertThat(trade.volume()).isPositive().isEqualTo(Math.rint(trade.volume()));
            assertThat(Math.rint(trade.price() * 100) / 100).isEqualTo(trade.price());
        });
        assertThat(bySymbol.get("AAPL").stream().map(Trade::conditions).distinct()).hasSizeGreaterThan(1);
    }

    @Test
    void everySimulatedTradeIsValid()
    {
        TradeValidator validator = new TradeValidator(Clock.fixed(Instant.ofEpochMilli(START), ZoneOffset.UTC));

        assertThat(generate(9, 20_000)).allSatisfy(trade -> assertThat(validator.violation(trade)).isEmpty());
    }

    @Test
    void unknownSymbolsTradeByTheirForm()
    {
        assertThat(SimulatedInstrument.of("OANDA:AUD_CAD").assetClass()).isEqualTo(AssetClass.FX);
        assertThat(SimulatedInstrument.of("COINBASE:ADA-USD").assetClass()).isEqualTo(AssetClass.CRYPTO);
        assertThat(SimulatedInstrument.of("IBM")).isEqualTo(new SimulatedInstrument("IBM", AssetClass.STOCK, 100.0));
    }

    private static List<Trade> generate(long seed, int count)
    {
        SimulatedMarket market = new SimulatedMarket(seed, SimulatedInstrument.of(List.of()), START, 1_000, () -> START);
        List<Trade> trades = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            trades.add(market.next());
        }
        return trades;
    }
}
