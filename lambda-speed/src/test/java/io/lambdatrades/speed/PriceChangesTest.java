package io.lambdatrades.speed;

import io.lambdatrades.common.Trade;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PriceChangesTest
{
    private static final long TS = 1_763_000_000_000L;

    @Test
    void aRiseIsPositiveAndAFallNegative()
    {
        KafkaTrade first = trade("AAPL", 100, TS, 0, 0);
        KafkaTrade rise = trade("AAPL", 110, TS + 1, 0, 1);
        KafkaTrade fall = trade("AAPL", 99, TS + 2, 0, 2);

        Map<KafkaTrade, PriceChanges.Change> changes = PriceChanges.of(List.of(fall, first, rise), symbol -> OptionalDouble.empty());

        assertThat(changes).doesNotContainKey(first);
        assertThat(changes.get(rise).priceChange()).isCloseTo(10, within(1e-12));
        assertThat(changes.get(rise).pctChange()).isCloseTo(10, within(1e-12));
        assertThat(changes.get(fall).priceChange()).isCloseTo(-11, within(1e-12));
        assertThat(changes.get(fall).pctChange()).isCloseTo(-10, within(1e-12));
    }

    @Test
    void tradesOfEqualTimeAreOrderedByPartitionThenOffset()
    {
        KafkaTrade laterPartition = trade("AAPL", 104, TS, 1, 0);
        KafkaTrade laterOffset = trade("AAPL", 102, TS, 0, 7);
        KafkaTrade earliest = trade("AAPL", 100, TS, 0, 3);

        Map<KafkaTrade, PriceChanges.Change> changes = PriceChanges.of(List.of(laterPartition, laterOffset, earliest), symbol -> OptionalDouble.empty());

        assertThat(changes).doesNotContainKey(earliest);
        assertThat(changes.get(laterOffset).priceChange()).isEqualTo(2);
        assertThat(changes.get(laterPartition).priceChange()).isEqualTo(2);
    }

    @Test
    void theFirstTradeOfEachSymbolIsAgainstTheStoredPrice()
    {
        KafkaTrade apple = trade("AAPL", 50, TS, 0, 0);
        KafkaTrade bitcoin = trade("BINANCE:BTCUSDT", 90_000, TS, 1, 0);

        Map<KafkaTrade, PriceChanges.Change> changes = PriceChanges.of(List.of(apple, bitcoin),
                symbol -> symbol.equals("AAPL") ? OptionalDouble.of(40) : OptionalDouble.empty());

        assertThat(changes.get(apple).priceChange()).isEqualTo(10);
        assertThat(changes.get(apple).pctChange()).isEqualTo(25);
        assertThat(changes).doesNotContainKey(bitcoin);
    }

    @Test
    void equalTradesAtDifferentOffsetsEachHaveTheirChange()
    {
        Trade same = new Trade("AAPL", 100, 1, TS, List.of(), "simulate", TS);
        KafkaTrade one = new KafkaTrade(same, 0, 0);
        KafkaTrade two = new KafkaTrade(same, 0, 1);

        Map<KafkaTrade, PriceChanges.Change> changes = PriceChanges.of(List.of(one, two), symbol -> OptionalDouble.of(80));

        assertThat(changes).hasSize(2);
        assertThat(changes.get(one).pctChange()).isEqualTo(25);
        assertThat(changes.get(two).pctChange()).isZero();
    }

    private static KafkaTrade trade(String symbol, double price, long ts, int partition, long offset)
    {
        return new KafkaTrade(new Trade(symbol, price, 1, ts, List.of(), "simulate", ts), partition, offset);
    }
}
