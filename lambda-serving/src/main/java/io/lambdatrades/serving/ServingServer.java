package io.lambdatrades.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import io.lambdatrades.common.PostgresConnection;
import io.lambdatrades.common.config.ServingConfig;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;


/**
 * The serving layer's HTTP server (SPEC 7 and 8): the API over the merged views, the live stream, the
 * OpenAPI description, health, metrics, and the dashboard's static files. Wired here, in one place.
 */
public final class ServingServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ServingServer.class);
    private static final ObjectMapper JSON = ServingJson.mapper();
    // An answer is reused while no commit changed the data, never once it is 100 ms older than the
    // last commit: the live stream's version is bumped by every commit's NOTIFY.
    private static final long CACHE_MIN_REFRESH_MS = 100;
    private static final long CACHE_MAX_AGE_MS = 100;
    private static final long STATUS_MAX_AGE_MS = 2_000;
    static final String OPENAPI_RESOURCE = "/io/lambdatrades/serving/openapi.json";

    private final HikariDataSource dataSource;
    private final LiveStream stream;
    private final CommitListener listener;
    private final ServingMetrics metrics;
    private final Javalin app;

    private ServingServer(ServingConfig config, PostgresConnection postgres, StatusSource statusSource, AdminToken adminToken, BatchTrigger batchTrigger, Clock clock)
    {
        this.dataSource = dataSource(postgres);
        ServingQueries queries = new ServingQueries(dataSource);
        this.stream = new LiveStream(queries, config.streamBuffer());
        this.listener = new CommitListener(postgres, stream);
        StatusSnapshot status = new StatusSnapshot(statusSource, STATUS_MAX_AGE_MS);
        this.metrics = new ServingMetrics(stream, status::figures);
        ServingApi api = new ServingApi(queries, config.cache() ? new ResponseCache(stream::version, CACHE_MIN_REFRESH_MS, CACHE_MAX_AGE_MS) : ResponseCache.uncached(), status::document, adminToken, batchTrigger, clock);
        byte[] openApi = resource(OPENAPI_RESOURCE);
        this.app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.staticFiles.add("/io/lambdatrades/serving/public", Location.CLASSPATH);
            javalin.staticFiles.enableWebjars();
            // The stream is a servlet of its own (an exact path, ahead of Javalin's "/*"): see StreamServlet.
            javalin.jetty.modifyServletContextHandler(context -> context.addServlet(new ServletHolder(new StreamServlet(stream)), StreamServlet.PATH));
            javalin.requestLogger.http((ctx, millis) -> {
                Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
                metrics.recordRequest(ctx.method().name(), endpoint == null ? "unmatched" : endpoint.path, ctx.statusCode(), millis);
            });
            javalin.routes.get("/api/v1/symbols", api::symbols);
            javalin.routes.get("/api/v1/freshness", api::freshness);
            javalin.routes.get("/api/v1/symbols/{symbol}/daily", api::daily);
            javalin.routes.get("/api/v1/symbols/{symbol}/hourly", api::hourly);
            javalin.routes.get("/api/v1/symbols/{symbol}/candles", api::candles);
            javalin.routes.get("/api/v1/symbols/{symbol}/trades", api::trades);
            javalin.routes.get("/api/v1/status", api::status);
            javalin.routes.get("/api/v1/batch/runs", api::batchRuns);
            javalin.routes.post("/api/v1/batch/runs", api::triggerBatchRun);
            javalin.routes.get("/api/openapi.json", ctx -> ServingApi.json(ctx, openApi));
            javalin.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
            javalin.routes.get("/health/live", ctx -> ServingApi.json(ctx, JSON.writeValueAsBytes(Map.of("status", "live"))));
            javalin.routes.get("/health/ready", api::ready);
            javalin.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.error(), e.detail()));
            javalin.routes.exception(java.sql.SQLException.class, (e, ctx) -> {
                log.warn("{} {}: PostgreSQL: {}", ctx.method(), ctx.path(), e.getMessage());
                error(ctx, 503, "PostgreSQL does not answer", e.getMessage());
            });
            javalin.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("{} {} failed: {}", ctx.method(), ctx.endpoints().lastHttpEndpoint() == null ? "" : ctx.endpoints().lastHttpEndpoint().path, e.toString());
                error(ctx, 500, "internal error", e.getClass().getSimpleName() + ": " + e.getMessage());
            });
            javalin.routes.error(404, ctx -> {
                if (ctx.endpoints().lastHttpEndpoint() == null) {
                    error(ctx, 404, "not found", "no endpoint " + ctx.method() + " " + ctx.path() + " (see /api/openapi.json)");
                }
            });
            javalin.routes.error(405, ctx -> error(ctx, 405, "method not allowed", ctx.method() + " " + ctx.path()));
        });
    }

    /** Starts listening; the port is known after this (a configured 0 picks a free one). */
    public static ServingServer start(ServingConfig config, PostgresConnection postgres, StatusSource status, AdminToken adminToken, BatchTrigger batchTrigger,
            Clock clock)
    {
        ServingServer server = new ServingServer(config, postgres, status, adminToken, batchTrigger, clock);
        try {
            server.listener.start();
            server.app.start();
        }
        catch (RuntimeException e) {
            server.close();
            String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            throw new IllegalStateException("cannot serve HTTP on " + config.host() + ":" + config.port() + ": " + cause, e);
        }
        return server;
    }

    public int port()
    {
        return app.port();
    }

    /** Method and path of every route: Javalin's, and the stream's servlet. */
    public List<String> routes()
    {
        return Stream.concat(
                app.unsafe.internalRouter.allHttpHandlers().stream()
                        .map(parsed -> parsed.endpoint)
                        .filter(endpoint -> endpoint.method == HandlerType.GET || endpoint.method == HandlerType.POST)
                        .map(endpoint -> endpoint.method.name() + " " + endpoint.path),
                Stream.of("GET " + StreamServlet.PATH)).toList();
    }

    public int streamClients()
    {
        return stream.clients();
    }

    public boolean listening()
    {
        return listener.listening();
    }

    private static void error(Context ctx, int status, String error, String detail)
    {
        ctx.status(status);
        try {
            ServingApi.json(ctx, JSON.writeValueAsBytes(Map.of("error", error, "detail", detail)));
        }
        catch (IOException e) {
            ctx.result("{\"error\":\"internal error\"}");
        }
    }

    private static HikariDataSource dataSource(PostgresConnection postgres)
    {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(postgres.jdbcUrl());
        hikari.setUsername(postgres.user());
        if (!postgres.password().isEmpty()) {
            hikari.setPassword(postgres.password());
        }
        hikari.setPoolName("lambda-serving");
        // A fixed pool: one grown under a burst added cold backends (each planned its first queries from an
        // empty catalog cache, up to 40 ms) just when requests queued, and the uncached API's p99 went from
        // 19 ms to 200-470 ms in the same benchmark (docs/benchmarks.md). Eight idle backends cost no CPU.
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(8);
        hikari.setConnectionTimeout(3_000);
        hikari.setValidationTimeout(2_000);
        // Start even while PostgreSQL is down: /health/ready says so, and requests fail with 503 until it is back.
        hikari.setInitializationFailTimeout(-1);
        hikari.setReadOnly(true);
        // No JIT compilation of the views' plans: it costs hundreds of milliseconds a query (migration V13 says why).
        hikari.addDataSourceProperty("options", "-c jit=off");
        return new HikariDataSource(hikari);
    }

    private static byte[] resource(String name)
    {
        try (InputStream input = ServingServer.class.getResourceAsStream(name)) {
            if (input == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return input.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close()
    {
        try {
            app.stop();
        }
        finally {
            listener.close();
            stream.close();
            dataSource.close();
        }
    }
}
