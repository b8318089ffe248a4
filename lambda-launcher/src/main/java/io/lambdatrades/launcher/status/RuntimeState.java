package io.lambdatrades.launcher.status;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What a running {@code lambda up} publishes in {@code <data-dir>/run/lambda.json}, rewritten every
 * second, so that other commands find the system and see how it is doing.
 *
 * @param state running, stopping or stopped
 * @param heartbeatAt epoch ms of the last rewrite: a stale heartbeat means the process hangs or died
 * @param metastoreJdbcUrl the embedded metastore's database, "" when the metastore is external
 */
public record RuntimeState(
        long pid,
        String state,
        long startedAt,
        long heartbeatAt,
        String kafkaBootstrapServers,
        String postgresJdbcUrl,
        String postgresUser,
        String metastoreJdbcUrl,
        Map<String, LayerState> layers,
        IngestStatus ingest)
{
    public RuntimeState
    {
        requireNonNull(state, "state is null");
        requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers is null");
        requireNonNull(postgresJdbcUrl, "postgresJdbcUrl is null");
        requireNonNull(postgresUser, "postgresUser is null");
        requireNonNull(metastoreJdbcUrl, "metastoreJdbcUrl is null");
        layers = Map.copyOf(requireNonNull(layers, "layers is null"));
        requireNonNull(ingest, "ingest is null");
    }

    /**
     * @param state running, starting, exited (its supervisor deciding what follows), restarting, stopped, finished, failed
     * @param pid the process the layer runs in
     * @param detail one line for people, e.g. the last error
     */
    public record LayerState(String state, long pid, String detail, long restarts)
    {
        public LayerState
        {
            requireNonNull(state, "state is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /**
     * @param phase starting, history, live, replay, stopped
     * @param tradesPerSecond acknowledged trades per second over the last interval
     * @param frames feed messages received (Finnhub, replay); 0 for the simulator
     * @param lastFrameAt epoch ms of the last feed message, Long.MIN_VALUE before the first
     * @param lastTradeTsBySymbol newest trade time of each symbol: a silent symbol shows here
     * @param tradesMayBeMissing trades an ingester that died (kill -9) had sent and Kafka had not acknowledged
     * @param framesMayBeMissing frames such an ingester had received and not sent all the trades of
     */
    public record IngestStatus(
            String source,
            String phase,
            double tradesPerSecond,
            long trades,
            long deadLetters,
            long lastTradeTs,
            long restarts,
            long frames,
            long pings,
            long unknownMessages,
            long reconnects,
            long lastFrameAt,
            int bufferedFrames,
            Map<String, Long> lastTradeTsBySymbol,
            long tradesMayBeMissing,
            long framesMayBeMissing)
    {
        public IngestStatus
        {
            requireNonNull(source, "source is null");
            requireNonNull(phase, "phase is null");
            lastTradeTsBySymbol = Map.copyOf(requireNonNull(lastTradeTsBySymbol, "lastTradeTsBySymbol is null"));
        }
    }
}
