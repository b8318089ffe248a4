package io.lambdatrades.ingest;

import io.lambdatrades.common.DeadLetter;
import io.lambdatrades.common.Trade;

/** Where a feed hands what it read: trades, and input it could not turn into a trade. */
public interface TradeListener
{
    void onTrade(Trade trade);

    void onDeadLetter(DeadLetter deadLetter);
}
