package io.lambdatrades.ingest;

import static java.util.Objects.requireNonNull;

/** Finnhub's live trade feed as a source of trades. */
public final class FinnhubFeed
        implements TradeFeed
{
    private final FinnhubConnection connection;
    private final FrameDispatcher dispatcher;

    public FinnhubFeed(FinnhubConnection connection, FinnhubFrameParser parser, IngestMetrics metrics)
    {
        this.connection = requireNonNull(connection, "connection is null");
        this.dispatcher = new FrameDispatcher(parser, metrics);
    }

    @Override
    public String name()
    {
        return "finnhub";
    }

    @Override
    public void run(TradeListener listener)
    {
        connection.run((text, receivedAt) -> dispatcher.dispatch(text, receivedAt, listener));
    }
}
