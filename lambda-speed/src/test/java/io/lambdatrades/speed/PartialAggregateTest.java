package io.lambdatrades.speed;

import io.lambdatrades.common.Trade;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PartialAggregateTest
{
    private static final long MINUTE_START = 1_763_000_040_000L;

    @Test
    void openAndCloseFollowTradeOrderNotArrivalOrder()
    {
        KafkaTrade last = trade(105, 2, MINUTE_START + 59_999, 0, 1);
        KafkaTrade first = trade(100, 1, MINUTE_START, 1, 5);
        KafkaTrade sameTimeEarlierPartition = trade(101, 3, MINUTE_START, 0, 9);

        PartialAggregate aggregate = single(PartialAggregate.of(List.of(last, first, sameTimeEarlierPartition)));

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
        List<PartialAggregate> aggregates = PartialAggregate.of(List.of(
                trade(1, 1, MINUTE_START - 1, 0, 0), trade(2, 1, MINUTE_START, 0, 1), trade(3, 1, -1, 0, 2)));

        assertThat(aggregates).extracting(PartialAggregate::bucket).containsExactlyInAnyOrder(-60_000L, MINUTE_START - 60_000, MINUTE_START);
    }

    @Test
    void partialsOfOneBucketMergeToTheAggregateOfAllItsTrades()
    {
        Random random = new Random(11);
        List<KafkaTrade> trades = new ArrayList<>();
        for (int offset = 0; offset < 500; offset++) {
            trades.add(trade(Math.round(random.nextDouble() * 10_000) / 100.0, random.nextInt(100), MINUTE_START + random.nextInt(60_000), random.nextInt(3), offset));
        }
        PartialAggregate whole = single(PartialAggregate.of(trades));

        Collections.shuffle(trades, random);
        PartialAggregate merged = single(PartialAggregate.of(trades.subList(0, 170))).merge(single(PartialAggregate.of(trades.subList(170, 500))));

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
    void minutesRollUpToTheHourOfAllTheirTrades()
    {
        long hour = Math.floorDiv(MINUTE_START, 3_600_000L) * 3_600_000L;
        Random random = new Random(12);
        List<KafkaTrade> trades = new ArrayList<>();
        for (int offset = 0; offset < 300; offset++) {
            trades.add(trade(Math.round(random.nextDouble() * 10_000) / 100.0, random.nextInt(100), hour + random.nextInt(3_600_000), random.nextInt(3), offset));
        }
        List<PartialAggregate> minutes = PartialAggregate.of(trades);
        PartialAggregate whole = single(PartialAggregate.of(trades).stream().reduce(PartialAggregate::merge).stream().toList());

        PartialAggregate rolledUp = single(PartialAggregate.rollUp(minutes, 3_600_000L));

        assertThat(minutes.size()).isGreaterThan(1);
        assertThat(rolledUp.bucket()).isEqualTo(hour);
        assertThat(rolledUp.open()).isEqualTo(whole.open());
        assertThat(rolledUp.close()).isEqualTo(whole.close());
        assertThat(rolledUp.high()).isEqualTo(whole.high());
        assertThat(rolledUp.low()).isEqualTo(whole.low());
        assertThat(rolledUp.trades()).isEqualTo(300);
        assertThat(rolledUp.first()).isSameAs(whole.first());
        assertThat(rolledUp.last()).isSameAs(whole.last());
        assertThat(PartialAggregate.rollUp(minutes, 86_400_000L)).extracting(PartialAggregate::bucket)
                .containsExactly(Math.floorDiv(MINUTE_START, 86_400_000L) * 86_400_000L);
    }

    @Test
    void symbolsAreAggregatedApart()
    {
        List<PartialAggregate> aggregates = PartialAggregate.of(List.of(
                new KafkaTrade(new Trade("AAPL", 10, 1, MINUTE_START, List.of(), "simulate", MINUTE_START), 0, 0),
                new KafkaTrade(new Trade("OANDA:EUR_USD", 1.1, 0, MINUTE_START, List.of(), "simulate", MINUTE_START), 0, 1)));

        assertThat(aggregates).extracting(PartialAggregate::symbol).containsExactly("AAPL", "OANDA:EUR_USD");
        assertThat(aggregates.get(1).volume()).isZero();
        assertThat(aggregates.get(1).notional()).isZero();
    }

    private static PartialAggregate single(List<PartialAggregate> aggregates)
    {
        assertThat(aggregates).hasSize(1);
        return aggregates.get(0);
    }

    private static KafkaTrade trade(double price, double volume, long ts, int partition, long offset)
    {
        return new KafkaTrade(new Trade("AAPL", price, volume, ts, List.of(), "simulate", ts), partition, offset);
    }
}
