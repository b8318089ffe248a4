package io.lambdatrades.serving;

/**
 * How current the merged views are: the batch cutoff, and the newest trade the speed layer committed.
 * Any field may be null before the first batch run or the first trade.
 *
 * @param speedDelayMs the speed layer's own delay: at its last commit, how old the newest trade it held was
 *         (a quiet feed does not make it grow)
 * @param feedSilenceMs now minus the newest trade's time: how long the feed has been quiet, or the pipeline stuck
 */
public record Freshness(String cutoff, Long cutoffMs, String period, String lastTradeAt, Long lastTradeMs, String lastCommitAt, Long speedDelayMs,
        Long feedSilenceMs, long lateTrades) {}
