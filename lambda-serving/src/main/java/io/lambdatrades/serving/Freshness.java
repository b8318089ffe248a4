package io.lambdatrades.serving;

/**
 * How current the merged views are: the batch cutoff, and the newest trade the speed layer committed.
 * Any field may be null before the first batch run or the first trade.
 */
public record Freshness(String cutoff, Long cutoffMs, String period, String lastTradeAt, Long lastTradeMs, String lastCommitAt, Long speedDelayMs, long lateTrades) {}
