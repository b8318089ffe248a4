package io.lambdatrades.serving;

/**
 * How current the merged views are: the batch cutoff, and the newest trade they hold (the speed layer's, or the batch's when none came after the cutoff).
 * Any field may be null before the first batch run or the first trade.
 *
 * @param speedDelayMs the speed layer's own delay: its last commit's time minus the time the newest trade it
 *         held entered the system ({@code ingest_ts}, as {@code SpeedDelayBenchmark} measures); a quiet feed does
 *         not make it grow, and the feed's own lag (exchange to ingester) is not in it
 * @param feedSilenceMs now minus the newest trade's time: how long the feed has been quiet, or the pipeline stuck
 */
public record Freshness(String cutoff, Long cutoffMs, String period, String lastTradeAt, Long lastTradeMs, String lastCommitAt, Long speedDelayMs,
        Long feedSilenceMs, long lateTrades)
{
    /** Before the migrations' cutoff row exists. */
    static final Freshness UNKNOWN = new Freshness(null, null, null, null, null, null, null, null, 0);
}
