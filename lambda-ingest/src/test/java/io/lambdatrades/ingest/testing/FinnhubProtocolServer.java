package io.lambdatrades.ingest.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local WebSocket server that speaks Finnhub's trade protocol (token in the query string,
 * subscribe messages, trade/ping/error messages), with the faults a real network has: dropped
 * connections, a refused token (at the upgrade or by an error and a close), a symbol limit,
 * silence. The test decides what is sent and when.
 */
public final class FinnhubProtocolServer
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final String validToken;
    private final int maxSymbols;
    private final TokenRefusal refusal;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<String> refusedTokens = new CopyOnWriteArrayList<>();

    /** How a bad token is refused. */
    public enum TokenRefusal
    {
        HTTP_401, ERROR_AND_CLOSE
    }

    private FinnhubProtocolServer(String validToken, int maxSymbols, TokenRefusal refusal)
    {
        this.validToken = validToken;
        this.maxSymbols = maxSymbols;
        this.refusal = refusal;
        this.server = new Server();
    }

    public static FinnhubProtocolServer start(String validToken, int maxSymbols, TokenRefusal refusal)
            throws Exception
    {
        FinnhubProtocolServer finnhub = new FinnhubProtocolServer(validToken, maxSymbols, refusal);
        finnhub.startServer();
        return finnhub;
    }

    private void startServer()
            throws Exception
    {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        context.setHandler(WebSocketUpgradeHandler.from(server, context, container -> {
            container.setIdleTimeout(java.time.Duration.ofMinutes(10));
            container.addMapping("/*", (request, response, callback) -> {
                String token = Request.extractQueryParameters(request).getValue("token");
                if (!validToken.equals(token)) {
                    refusedTokens.add(String.valueOf(token));
                    if (refusal == TokenRefusal.HTTP_401) {
                        response.setStatus(401);
                        callback.succeeded();
                        return null;
                    }
                    return new Connection(true);
                }
                Connection connection = new Connection(false);
                connections.add(connection);
                return connection;
            });
        }));
        server.setHandler(context);
        server.start();
    }

    public URI url()
    {
        return URI.create("ws://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
    }

    /** Connections accepted with the right token, oldest first. */
    public List<Connection> connections()
    {
        return List.copyOf(connections);
    }

    public Connection current()
    {
        if (connections.isEmpty()) {
            throw new IllegalStateException("no client has connected");
        }
        return connections.get(connections.size() - 1);
    }

    /** Every token value that was refused: a client must not retry a refused token in a loop. */
    public List<String> refusedTokens()
    {
        return List.copyOf(refusedTokens);
    }

    @Override
    public void close()
            throws Exception
    {
        server.stop();
    }

    /** One client connection as the server sees it. */
    public final class Connection
            implements Session.Listener.AutoDemanding
    {
        private final boolean refuse;
        private final List<String> subscriptions = new CopyOnWriteArrayList<>();
        private volatile Session session;

        private Connection(boolean refuse)
        {
            this.refuse = refuse;
        }

        @Override
        public void onWebSocketOpen(Session session)
        {
            this.session = session;
            if (refuse) {
                session.sendText("{\"type\":\"error\",\"msg\":\"Invalid API key\"}", Callback.from(() -> session.close(1008, "Invalid API key", Callback.NOOP), failure -> { }));
            }
        }

        @Override
        public void onWebSocketText(String message)
        {
            try {
                JsonNode request = JSON.readTree(message);
                String symbol = request.path("symbol").asText();
                if ("subscribe".equals(request.path("type").asText())) {
                    if (subscriptions.size() >= maxSymbols) {
                        send("{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}");
                    }
                    else {
                        subscriptions.add(symbol);
                    }
                }
                else if ("unsubscribe".equals(request.path("type").asText())) {
                    subscriptions.remove(symbol);
                }
            }
            catch (Exception e) {
                send("{\"type\":\"error\",\"msg\":\"Invalid message\"}");
            }
        }

        @Override
        public void onWebSocketError(Throwable cause)
        {
            // A client that goes away mid-write is a case the tests make on purpose.
        }

        public List<String> subscriptions()
        {
            return List.copyOf(subscriptions);
        }

        public boolean isOpen()
        {
            return session != null && session.isOpen();
        }

        /** Sends one message and waits until it is written. */
        public void send(String message)
        {
            try {
                Callback.Completable written = new Callback.Completable();
                session.sendText(message, written);
                written.get(30, TimeUnit.SECONDS);
            }
            catch (Exception e) {
                throw new IllegalStateException("cannot send to the client: " + e, e);
            }
        }

        /** Drops the connection without a close handshake, as a network failure does. */
        public void drop()
        {
            session.disconnect();
        }
    }
}
