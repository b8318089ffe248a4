package io.lambdatrades.speed;

import io.lambdatrades.common.Trade;

import java.util.Comparator;

import static java.util.Objects.requireNonNull;

/** A trade with its place in Kafka, which orders trades of equal time (SPEC 3). */
public record KafkaTrade(Trade trade, int partition, long offset)
{
    /** (ts, partition, offset): the order of open, close and the previous trade. */
    public static final Comparator<KafkaTrade> TRADE_ORDER = Comparator
            .comparingLong((KafkaTrade t) -> t.trade().ts())
            .thenComparingInt(KafkaTrade::partition)
            .thenComparingLong(KafkaTrade::offset);

    public KafkaTrade
    {
        requireNonNull(trade, "trade is null");
    }
}
