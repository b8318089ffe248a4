package io.lambdatrades.speed;

import io.lambdatrades.common.Trade;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MinuteAggregateTest
{
    private static final long MINUTE_START = 1_763_000_040_000L;

    @Test
    void openAndCloseFollowTradeOrderNotArrivalOrder()
    {
        KafkaTrade last = trade(105, 2, MINUTE_START + 59_999, 0, 1);
        KafkaTrade first = trade(100, 1, MINUTE_START, 1, 5);
        KafkaTrade sameTimeEarlierPartition = trade(101, 3, MINUTE_START, 0, 9);

        MinuteAggregate aggregate = single(MinuteAggregate.of(List.of(last, first, sameTimeEarlierPartition)));

        assertThat(aggregate.bucket()).isEqualTo(MINUTE_START);
        assertThat(aggregate.open()).isEqualTo(101);
        assertThat(aggregate.close()).isEqualTo(105);
        assertThat(aggregate.high()).isEqualTo(105);
        assertThat(aggregate.low()).isEqualTo(100);
        assertThat(aggregate.volume()).isEqualTo(6);
        assertThat(aggregate.trades()).isEqualTo(3);
        assertThat(aggregate.notional()).isEqualTo(101 * 3 + 100 + 105 * 2);
        assertThat(aggregate.first()).isSameAs(sameTimeEarlierPartition);
        assertThat(aggregate.last()).isSameAs(last);
    }

    @Test
    void tradesFallInTheMinuteTheyStartIncludingBeforeTheEpoch()
    {
        List<MinuteAggregate> aggregates = MinuteAggregate.of(List.of(
                trade(1, 1, MINUTE_START - 1, 0, 0), trade(2, 1, MINUTE_START, 0, 1), trade(3, 1, -1, 0, 2)));

        assertThat(aggregates).extracting(MinuteAggregate::bucket).containsExactlyInAnyOrder(-60_000L, MINUTE_START - 60_000, MINUTE_START);
    }

    @Test
    void partialsOfOneBucketMergeToTheAggregateOfAllItsTrades()
    {
        Random random = new Random(11);
        List<KafkaTrade> trades = new ArrayList<>();
        for (int offset = 0; offset < 500; offset++) {
            trades.add(trade(Math.round(random.nextDouble() * 10_000) / 100.0, random.nextInt(100), MINUTE_START + random.nextInt(60_000), random.nextInt(3), offset));
        }
        MinuteAggregate whole = single(MinuteAggregate.of(trades));

        Collections.shuffle(trades, random);
        MinuteAggregate merged = single(MinuteAggregate.of(trades.subList(0, 170))).merge(single(MinuteAggregate.of(trades.subList(170, 500))));

        assertThat(merged.open()).isEqualTo(whole.open());
        assertThat(merged.close()).isEqualTo(whole.close());
        assertThat(merged.high()).isEqualTo(whole.high());
        assertThat(merged.low()).isEqualTo(whole.low());
        assertThat(merged.trades()).isEqualTo(500);
        assertThat(merged.volume()).isCloseTo(whole.volume(), within(1e-9 * whole.volume()));
        assertThat(merged.notional()).isCloseTo(whole.notional(), within(1e-9 * whole.notional()));
        assertThat(merged.first()).isSameAs(whole.first());
        assertThat(merged.last()).isSameAs(whole.last());
    }

    @Test
    void symbolsAreAggregatedApart()
    {
        List<MinuteAggregate> aggregates = MinuteAggregate.of(List.of(
                new KafkaTrade(new Trade("AAPL", 10, 1, MINUTE_START, List.of(), "simulate", MINUTE_START), 0, 0),
                new KafkaTrade(new Trade("OANDA:EUR_USD", 1.1, 0, MINUTE_START, List.of(), "simulate", MINUTE_START), 0, 1)));

        assertThat(aggregates).extracting(MinuteAggregate::symbol).containsExactly("AAPL", "OANDA:EUR_USD");
        assertThat(aggregates.get(1).volume()).isZero();
        assertThat(aggregates.get(1).notional()).isZero();
    }

    private static MinuteAggregate single(List<MinuteAggregate> aggregates)
    {
        assertThat(aggregates).hasSize(1);
        return aggregates.get(0);
    }

    private static KafkaTrade trade(double price, double volume, long ts, int partition, long offset)
    {
        return new KafkaTrade(new Trade("AAPL", price, volume, ts, List.of(), "simulate", ts), partition, offset);
    }
}
