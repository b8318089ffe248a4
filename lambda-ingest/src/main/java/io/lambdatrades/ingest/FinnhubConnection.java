package io.lambdatrades.ingest;

import io.lambdatrades.common.Backoff;
import io.lambdatrades.common.config.FinnhubConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * One connection to Finnhub's trade feed, kept up for as long as the thread runs: subscribe every
 * symbol, hand each message to the handler, and on a drop or a silent server (no frame, ping
 * included, for {@code staleAfter}) reconnect with backoff and subscribe again. Messages wait in a
 * bounded buffer; when the handler is slow (Kafka down) the buffer fills and reading pauses.
 */
public final class FinnhubConnection
{
    private static final Logger log = LoggerFactory.getLogger(FinnhubConnection.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 200;

    private final FinnhubConfig config;
    private final FinnhubToken token;
    private final List<String> symbols;
    private final int bufferFrames;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    public FinnhubConnection(FinnhubConfig config, FinnhubToken token, List<String> symbols, int bufferFrames, IngestMetrics metrics, Clock clock)
    {
        this.config = requireNonNull(config, "config is null");
        this.token = requireNonNull(token, "token is null");
        this.symbols = List.copyOf(requireNonNull(symbols, "symbols is null"));
        this.bufferFrames = bufferFrames;
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Handles one message and says what it was, so that the connection can act on errors. */
    @FunctionalInterface
    public interface FrameHandler
    {
        FinnhubFrame onFrame(String text, long receivedAt);
    }

    /**
     * Runs until the thread is interrupted.
     *
     * @throws FeedRefusedException when Finnhub refuses the token
     */
    public void run(FrameHandler handler)
    {
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "finnhub-websocket");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).executor(executor).build();
        try {
            boolean firstAttempt = true;
            while (!Thread.currentThread().isInterrupted()) {
                if (!firstAttempt && !pause()) {
                    return;
                }
                firstAttempt = false;
                Session session = connect(client);
                if (session == null) {
                    continue;
                }
                try {
                    if (session.pump(handler)) {
                        backoff.reset();
                    }
                }
                finally {
                    session.close();
                }
            }
        }
        finally {
            executor.shutdownNow();
        }
    }

    private boolean pause()
    {
        Duration delay = backoff.next();
        log.warn("Reconnecting to {} in {} ms (attempt {})", config.url(), delay.toMillis(), backoff.attempts());
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        metrics.recordReconnect();
        return true;
    }

    private Session connect(HttpClient client)
    {
        Session session = new Session();
        try {
            session.webSocket = client.newWebSocketBuilder()
                    .buildAsync(urlWithToken(), session)
                    .get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return session;
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException handshake) {
                int status = handshake.getResponse().statusCode();
                if (status == 401 || status == 403) {
                    throw new FeedRefusedException("Finnhub refused the token (HTTP " + status + " at " + config.url() + ")");
                }
                log.warn("Finnhub at {} answered the upgrade with HTTP {}", config.url(), status);
            }
            else {
                log.warn("Cannot connect to {}: {}", config.url(), token.redact(String.valueOf(e.getCause())));
            }
        }
        catch (TimeoutException e) {
            log.warn("Cannot connect to {}: no answer within {} s", config.url(), CONNECT_TIMEOUT.toSeconds() * 2);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private URI urlWithToken()
    {
        String url = config.url().toString();
        String separator = config.url().getRawQuery() == null ? "?" : "&";
        return URI.create(url + separator + "token=" + URLEncoder.encode(token.value(), StandardCharsets.UTF_8));
    }

    private sealed interface Event {}

    private record Text(String text, long receivedAt)
            implements Event {}

    private record Closed(int code, String reason)
            implements Event {}

    private record Failed(Throwable error)
            implements Event {}

    /** One WebSocket connection: its listener fills the buffer, {@link #pump} empties it. */
    private final class Session
            implements WebSocket.Listener
    {
        private final BlockingQueue<Event> buffer = new ArrayBlockingQueue<>(bufferFrames);
        private final StringBuilder partial = new StringBuilder();
        private final List<String> subscribed = new ArrayList<>();
        private volatile boolean closed;
        private volatile long lastFrameAt = clock.millis();
        private WebSocket webSocket;
        private int refusedSubscriptions;

        /** Returns whether the connection was healthy (subscribed and received data) before it ended. */
        boolean pump(FrameHandler handler)
        {
            metrics.bufferedFrames(buffer::size);
            // On a failed subscription keep reading: the server's reason (a refused token) is in what follows.
            if (subscribeAll()) {
                log.info("Connected to {} and subscribed to {} symbols", config.url(), symbols.size());
            }
            boolean received = false;
            while (!Thread.currentThread().isInterrupted()) {
                Event event;
                try {
                    event = buffer.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (event == null) {
                    long silentMillis = clock.millis() - lastFrameAt;
                    if (silentMillis > config.staleAfter().toMillis()) {
                        log.warn("No frame from {} for {} s; reconnecting", config.url(), silentMillis / 1000);
                        return received;
                    }
                }
                else if (event instanceof Text text) {
                    received = true;
                    onFrame(handler.onFrame(text.text(), text.receivedAt()));
                    metrics.recordFrameHandled();
                }
                else if (event instanceof Closed close) {
                    log.warn("Finnhub closed the connection: {} {}", close.code(), token.redact(close.reason()));
                    return received;
                }
                else if (event instanceof Failed failed) {
                    log.warn("The connection to {} failed: {}", config.url(), token.redact(String.valueOf(failed.error())));
                    return received;
                }
            }
            // Stopping: what was received is handed on before the ingester's final flush.
            Interrupts.runUninterrupted(() -> drain(handler));
            return received;
        }

        private void drain(FrameHandler handler)
        {
            closed = true;
            webSocket.abort();
            for (Event event = buffer.poll(); event != null; event = buffer.poll()) {
                if (event instanceof Text text) {
                    handler.onFrame(text.text(), text.receivedAt());
                    metrics.recordFrameHandled();
                }
            }
        }

        private boolean subscribeAll()
        {
            for (String symbol : symbols) {
                String message = "{\"type\":\"subscribe\",\"symbol\":\"" + symbol.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
                try {
                    webSocket.sendText(message, true).get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    subscribed.add(symbol);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                catch (ExecutionException | TimeoutException e) {
                    log.warn("Cannot subscribe to {} on {}: {}", symbol, config.url(), token.redact(String.valueOf(e.getCause() == null ? e : e.getCause())));
                    return false;
                }
            }
            return true;
        }

        private void onFrame(FinnhubFrame frame)
        {
            if (!(frame instanceof FinnhubFrame.Error error)) {
                return;
            }
            if (error.refusesToken()) {
                throw new FeedRefusedException("Finnhub refused the token (" + token.redact(error.message()) + ")");
            }
            if (error.tooManySymbols()) {
                // Finnhub answers subscriptions in order and refuses those past its limit: the last ones.
                refusedSubscriptions = Math.min(refusedSubscriptions + 1, subscribed.size());
                List<String> refused = subscribed.subList(subscribed.size() - refusedSubscriptions, subscribed.size());
                log.warn("Finnhub refused {} subscription(s) ({}): no trades will come for {}", refusedSubscriptions, error.message(), refused);
                return;
            }
            log.warn("Finnhub sent an error: {}", token.redact(error.message()));
        }

        @Override
        public void onOpen(WebSocket webSocket)
        {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
        {
            partial.append(data);
            if (last) {
                long receivedAt = clock.millis();
                lastFrameAt = receivedAt;
                metrics.recordFrameReceived();
                offer(new Text(partial.toString(), receivedAt));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message)
        {
            lastFrameAt = clock.millis();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason)
        {
            offer(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error)
        {
            offer(new Failed(error));
        }

        /** Blocks while the buffer is full: this is what pauses reading when Kafka is slow. */
        private void offer(Event event)
        {
            try {
                while (!closed && !buffer.offer(event, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    // Full: wait for the handler to catch up.
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close()
        {
            closed = true;
            metrics.bufferedFrames(() -> 0);
            if (webSocket != null) {
                webSocket.abort();
            }
        }
    }
}
