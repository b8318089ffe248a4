package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * GET /api/v1/stream as a plain asynchronous servlet: a stream holds no thread while idle, and a
 * client that is dropped has its connection closed, then its request completed, in that order, which
 * Jetty takes whatever state the connection is in.
 */
final class StreamServlet
        extends HttpServlet
{
    static final String PATH = "/api/v1/stream";
    private static final ObjectMapper JSON = ServingJson.mapper();

    private final transient LiveStream stream;

    StreamServlet(LiveStream stream)
    {
        this.stream = requireNonNull(stream, "stream is null");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws IOException
    {
        String lastEventId = request.getHeader("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = request.getParameter("lastEventId");
        }
        Set<String> symbols;
        try {
            if (lastEventId != null && !lastEventId.isBlank()) {
                LiveStream.parseEventId(lastEventId);
            }
            symbols = RequestParameters.symbols(request.getParameter("symbols"));
        }
        catch (ApiException e) {
            response.setStatus(e.status());
            response.setContentType("application/json");
            response.getOutputStream().write(JSON.writeValueAsBytes(Map.of("error", e.error(), "detail", e.detail())));
            return;
        }
        response.setStatus(200);
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        response.flushBuffer();
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        CompletableFuture<Void> done = new CompletableFuture<>();
        done.whenComplete((ignored, failure) -> {
            try {
                async.complete();
            }
            catch (IllegalStateException alreadyComplete) {
                // Jetty completed it when the connection failed.
            }
        });
        async.addListener(new AsyncListener()
        {
            @Override
            public void onComplete(AsyncEvent event)
            {
                done.complete(null);
            }

            @Override
            public void onTimeout(AsyncEvent event)
            {
                done.complete(null);
            }

            @Override
            public void onError(AsyncEvent event)
            {
                done.complete(null);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {}
        });
        ServletContextRequest jettyRequest = ServletContextRequest.getServletContextRequest(request);
        Runnable closeConnection = () -> jettyRequest.getConnectionMetaData().getConnection().getEndPoint().close();
        stream.connect(response.getOutputStream(), closeConnection, done, lastEventId, symbols);
    }
}
