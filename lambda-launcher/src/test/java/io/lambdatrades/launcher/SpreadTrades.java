package io.lambdatrades.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * A replay recording of Finnhub frames spread evenly over a span ending now: {@code frames} frames of
 * {@code tradesPerFrame} trades of five symbols, so that a test knows which trades fall before a cutoff.
 */
record SpreadTrades(int frames, int tradesPerFrame, long spanMillis)
{
    /** The recording's lines, the first frame at {@code start}. */
    List<String> lines(long start)
    {
        List<String> lines = new ArrayList<>();
        for (int frame = 0; frame < frames; frame++) {
            StringBuilder text = new StringBuilder("{\"data\":[");
            for (int trade = 0; trade < tradesPerFrame; trade++) {
                text.append(trade == 0 ? "" : ",").append("{\"p\":").append(100 + frame * 0.01).append(",\"s\":\"S").append(trade % 5)
                        .append("\",\"t\":").append(tradeTs(start, frame)).append(",\"v\":").append(trade + 1).append("}");
            }
            lines.add(text.append("],\"type\":\"trade\"}").toString());
        }
        return lines;
    }

    long total()
    {
        return (long) frames * tradesPerFrame;
    }

    /** How many trades are before {@code cutoff}. */
    long before(long start, long cutoff)
    {
        long closed = 0;
        for (int frame = 0; frame < frames; frame++) {
            if (tradeTs(start, frame) < cutoff) {
                closed += tradesPerFrame;
            }
        }
        return closed;
    }

    private long tradeTs(long start, int frame)
    {
        return start + frame * (spanMillis / frames);
    }
}
