package io.lambdatrades.ingest;

import static java.util.Objects.requireNonNull;

/** Turns one Finnhub message into trades and dead letters for the listener, and counts the rest. */
final class FrameDispatcher
{
    private final FinnhubFrameParser parser;
    private final IngestMetrics metrics;

    FrameDispatcher(FinnhubFrameParser parser, IngestMetrics metrics)
    {
        this.parser = requireNonNull(parser, "parser is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    FinnhubFrame dispatch(String text, long receivedAt, TradeListener listener)
    {
        metrics.recordFrame(receivedAt);
        FinnhubFrame frame = parser.parse(text, receivedAt);
        if (frame instanceof FinnhubFrame.Trades trades) {
            trades.rejected().forEach(listener::onDeadLetter);
            trades.trades().forEach(listener::onTrade);
        }
        else if (frame instanceof FinnhubFrame.Malformed malformed) {
            listener.onDeadLetter(malformed.deadLetter());
        }
        else if (frame instanceof FinnhubFrame.Ping) {
            metrics.recordPing();
        }
        else if (frame instanceof FinnhubFrame.Unknown) {
            metrics.recordUnknownMessage();
        }
        return frame;
    }
}
